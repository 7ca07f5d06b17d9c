// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Sealnet projects: roles, retention, key versions, grants, attestation allowlist, access log.
/// @notice Only hashes of wrapped keys are recorded, never keys.
interface ISealnetProjects {
    /// @dev One read, write or delete of an object, reported by the node that served it.
    struct AccessRecord {
        bytes32 objectId;
        bytes32 accessor;
        uint8 action;
        uint64 at;
    }

    struct Grant {
        uint32 keyVersion;
        bytes32 wrappedKeyHash;
    }

    error ProjectsAlreadyExists(bytes32 projectId);
    error ProjectsInvalidName(string name);
    error ProjectsActionsAlreadyLinked(address actions);
    error ProjectsNotDeployer(address who);
    error ProjectsUnknown(bytes32 projectId);
    error ProjectsMissingRole(bytes32 projectId, address who, bytes32 role);
    error ProjectsInvalidRole(bytes32 role);
    error ProjectsUnknownIdentity(bytes32 identityId);
    error ProjectsWrongKeyVersion(bytes32 projectId, uint32 given, uint32 current);
    error ProjectsMeasurementNotAllowed(bytes32 projectId, bytes32 measurement);
    error ProjectsNodeNotAuthorized(bytes32 projectId, bytes32 nodeId, address who);
    error ProjectsRevokedNodeRecordsOnlyDeletions(bytes32 projectId, bytes32 nodeId, uint256 index);
    error ProjectsEmptyBatch(bytes32 projectId);
    error ProjectsDatasetExists(bytes32 projectId, bytes32 datasetId);
    error ProjectsUnknownDataset(bytes32 projectId, bytes32 datasetId);
    error ProjectsEmptyManifest(bytes32 projectId, bytes32 datasetId);

    event ProjectCreated(bytes32 indexed projectId, address indexed owner, string name, uint64 retentionSeconds);
    event ProjectRoleGranted(bytes32 indexed projectId, bytes32 indexed role, address indexed account, address sender);
    event ProjectRoleRevoked(bytes32 indexed projectId, bytes32 indexed role, address indexed account, address sender);
    event ProjectRetentionChanged(bytes32 indexed projectId, uint64 retentionSeconds, address sender);
    /// @notice The sensitive-actions contract whose approvals guard retention cuts was set (once, at deployment).
    event ProjectsActionsLinked(address actions);
    event ProjectKeyRotated(bytes32 indexed projectId, uint32 keyVersion, address sender);
    /// @notice A wrapped project key was given to `grantee`; `measurement` is the node measurement checked (0 for users).
    event ProjectKeyGranted(
        bytes32 indexed projectId,
        bytes32 indexed grantee,
        uint32 keyVersion,
        bytes32 wrappedKeyHash,
        bytes32 measurement,
        address sender
    );
    event ProjectKeyRevoked(bytes32 indexed projectId, bytes32 indexed grantee, uint32 keyVersion, address sender);
    event ProjectMeasurementAllowed(bytes32 indexed projectId, bytes32 indexed measurement, address sender);
    event ProjectMeasurementDisallowed(bytes32 indexed projectId, bytes32 indexed measurement, address sender);
    /// @notice A dataset was uploaded: `root` is the Merkle root of its chunk commitments, the job input commitment;
    /// `manifest` is the SHA-256 of its sealed manifest, the shard where members find its chunks.
    event ProjectDatasetCommitted(
        bytes32 indexed projectId, bytes32 indexed datasetId, bytes32 root, uint32 chunks, bytes32 manifest, address sender
    );
    /// @notice A dataset's chunks were re-sealed under `keyVersion`; `manifest` is its new manifest shard.
    event ProjectDatasetResealed(
        bytes32 indexed projectId, bytes32 indexed datasetId, bytes32 manifest, uint32 keyVersion, address sender
    );
    /// @notice A node reported a batch of accesses; `root` is the Merkle root of the records.
    event ProjectAccessBatchRecorded(bytes32 indexed projectId, bytes32 indexed nodeId, bytes32 root, AccessRecord[] records);

    /// @notice Creates project `projectId` (keccak256 of its name); the caller becomes its owner. Key version starts at 1.
    /// @dev Requirements: the name is 1-256 bytes with no control byte; the id is free.
    /// Emits {ProjectCreated} and {ProjectRoleGranted}.
    function createProject(string calldata name, uint64 retentionSeconds) external returns (bytes32 projectId);

    /// @notice Gives `account` a role. Owners grant any role; admins grant member and auditor.
    /// @dev Emits {ProjectRoleGranted}.
    function grantRole(bytes32 projectId, bytes32 role, address account) external;

    /// @notice Takes a role away, under the same rules as {grantRole}. Emits {ProjectRoleRevoked}.
    function revokeRole(bytes32 projectId, bytes32 role, address account) external;

    /// @notice Sets how long data may be kept (0: no limit).
    /// @dev Requirements: owner. A cut (a shorter limit, or any limit after none) on a project
    /// with approvers also needs an executed `cut-retention` action whose target is
    /// keccak256(abi.encode(retentionSeconds)), past its delay: nodes sweep what a cut makes
    /// expired, so one owner must not erase everything alone. Emits {ProjectRetentionChanged}.
    function setRetention(bytes32 projectId, uint64 retentionSeconds) external;

    /// @notice Names the sensitive-actions contract that approves retention cuts.
    /// @dev Requirements: the account that deployed this contract; once. Emits {ProjectsActionsLinked}.
    function linkSensitiveActions(address actions) external;

    /// @notice Starts a new key version (after a revocation). Requirements: admin. Emits {ProjectKeyRotated}.
    function rotateKey(bytes32 projectId) external returns (uint32 keyVersion);

    /// @notice Records that the current key version, wrapped, was given to `grantee`.
    /// @dev Requirements: admin; grantee registered; `keyVersion` current; for a node, `measurement` allowlisted.
    /// Emits {ProjectKeyGranted}.
    function recordGrant(bytes32 projectId, bytes32 grantee, uint32 keyVersion, bytes32 wrappedKeyHash, bytes32 measurement)
        external;

    /// @notice Records that `grantee` lost access. Requirements: admin. Emits {ProjectKeyRevoked}.
    function revokeGrant(bytes32 projectId, bytes32 grantee) external;

    /// @notice Accepts a node measurement for key release. Requirements: admin. Emits {ProjectMeasurementAllowed}.
    function allowMeasurement(bytes32 projectId, bytes32 measurement) external;

    /// @notice Stops accepting a measurement. Requirements: admin. Emits {ProjectMeasurementDisallowed}.
    function disallowMeasurement(bytes32 projectId, bytes32 measurement) external;

    /// @notice Records a batch of accesses served by node `nodeId`, in one transaction.
    /// @dev Requirements: caller controls `nodeId`, a node holding a grant on the project, or one that held
    /// a grant and now records only deletions (a revoked node still deletes what admins remove); at least
    /// one record. Emits {ProjectAccessBatchRecorded}.
    function recordAccessBatch(bytes32 projectId, bytes32 nodeId, bytes32 root, AccessRecord[] calldata records) external;

    /// @notice Records the commitment root of an uploaded dataset and where its sealed manifest is (the
    /// manifest shard's SHA-256, never its contents); neither changes afterwards.
    /// @dev Requirements: member; the dataset id is new in this project. Emits {ProjectDatasetCommitted}.
    function commitDataset(bytes32 projectId, bytes32 datasetId, bytes32 root, uint32 chunks, bytes32 manifest)
        external;

    /// @notice Points a dataset at a new manifest shard after its chunks were re-sealed under the current key
    /// version (`sealnet project rekey`); the root stays, because it commits to the plaintext.
    /// @dev Requirements: admin; the dataset exists; `manifest` is not zero. Emits {ProjectDatasetResealed}.
    function resealDataset(bytes32 projectId, bytes32 datasetId, bytes32 manifest) external;

    /// @notice The committed root of a dataset, or 0 if none.
    function datasetRoot(bytes32 projectId, bytes32 datasetId) external view returns (bytes32);

    /// @notice The committed root and manifest shard of a dataset, or zeros if none.
    function dataset(bytes32 projectId, bytes32 datasetId) external view returns (bytes32 root, bytes32 manifest);

    function hasRole(bytes32 projectId, bytes32 role, address account) external view returns (bool);
    function keyVersion(bytes32 projectId) external view returns (uint32);
    function retention(bytes32 projectId) external view returns (uint64);
    function grantOf(bytes32 projectId, bytes32 grantee) external view returns (Grant memory);
    function isMeasurementAllowed(bytes32 projectId, bytes32 measurement) external view returns (bool);
}
