// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ISealnetIdentities} from "./interfaces/ISealnetIdentities.sol";
import {ISealnetProjects} from "./interfaces/ISealnetProjects.sol";
import {ISealnetSensitiveActions} from "./interfaces/ISealnetSensitiveActions.sol";
import {Names} from "./libraries/Names.sol";

/// @title Projects, their roles and everything recorded about their keys and data.
contract SealnetProjects is ISealnetProjects {
    bytes32 public constant OWNER_ROLE = keccak256("OWNER");
    bytes32 public constant ADMIN_ROLE = keccak256("ADMIN");
    bytes32 public constant MEMBER_ROLE = keccak256("MEMBER");
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR");
    /// @dev AccessRecord.action: read 0, write 1, delete 2 (protocol/ledger ACCESS_ACTIONS).
    uint8 private constant DELETE_ACTION = 2;

    struct Project {
        bool exists;
        uint32 keyVersion;
        uint64 retentionSeconds;
    }

    struct Dataset {
        bytes32 root;
        bytes32 manifest;
    }

    bytes32 private constant CUT_RETENTION = keccak256("cut-retention");

    ISealnetIdentities public immutable identities;
    /// @notice Approves retention cuts on projects with approvers; set once by the deployer.
    ISealnetSensitiveActions public actions;
    address private immutable _deployer;

    mapping(bytes32 projectId => Project) private _projects;
    mapping(bytes32 projectId => mapping(bytes32 role => mapping(address account => bool))) private _roles;
    mapping(bytes32 projectId => mapping(bytes32 grantee => Grant)) private _grants;
    /// @dev Nodes that ever held a grant: once revoked, they may still record their deletions.
    mapping(bytes32 projectId => mapping(bytes32 nodeId => bool)) private _everGranted;
    mapping(bytes32 projectId => mapping(bytes32 measurement => bool)) private _allowed;
    mapping(bytes32 projectId => mapping(bytes32 datasetId => Dataset)) private _datasets;

    constructor(ISealnetIdentities identities_) {
        identities = identities_;
        _deployer = msg.sender;
    }

    /// @inheritdoc ISealnetProjects
    function linkSensitiveActions(address actions_) external {
        if (msg.sender != _deployer) revert ProjectsNotDeployer(msg.sender);
        if (address(actions) != address(0)) revert ProjectsActionsAlreadyLinked(address(actions));
        actions = ISealnetSensitiveActions(actions_);
        emit ProjectsActionsLinked(actions_);
    }

    /// @inheritdoc ISealnetProjects
    function createProject(string calldata name, uint64 retentionSeconds) external returns (bytes32 projectId) {
        if (!Names.isValid(name)) revert ProjectsInvalidName(name);
        projectId = keccak256(bytes(name));
        if (_projects[projectId].exists) revert ProjectsAlreadyExists(projectId);
        _projects[projectId] = Project(true, 1, retentionSeconds);
        emit ProjectCreated(projectId, msg.sender, name, retentionSeconds);
        _grantRole(projectId, OWNER_ROLE, msg.sender);
    }

    /// @inheritdoc ISealnetProjects
    function grantRole(bytes32 projectId, bytes32 role, address account) external {
        _checkRole(projectId, _managerOf(role));
        _grantRole(projectId, role, account);
    }

    /// @inheritdoc ISealnetProjects
    function revokeRole(bytes32 projectId, bytes32 role, address account) external {
        _checkRole(projectId, _managerOf(role));
        _roles[projectId][role][account] = false;
        emit ProjectRoleRevoked(projectId, role, account, msg.sender);
    }

    /// @inheritdoc ISealnetProjects
    function setRetention(bytes32 projectId, uint64 retentionSeconds) external {
        _checkRole(projectId, OWNER_ROLE);
        uint64 current = _projects[projectId].retentionSeconds;
        bool cut = retentionSeconds != 0 && (current == 0 || retentionSeconds < current);
        if (cut && address(actions) != address(0)) {
            (, uint8 threshold) = actions.approversOf(projectId);
            if (threshold != 0) {
                actions.consumeApprovedChange(projectId, CUT_RETENTION, keccak256(abi.encode(retentionSeconds)));
            }
        }
        _projects[projectId].retentionSeconds = retentionSeconds;
        emit ProjectRetentionChanged(projectId, retentionSeconds, msg.sender);
    }

    /// @inheritdoc ISealnetProjects
    function rotateKey(bytes32 projectId) external returns (uint32 newVersion) {
        _checkRole(projectId, ADMIN_ROLE);
        newVersion = ++_projects[projectId].keyVersion;
        emit ProjectKeyRotated(projectId, newVersion, msg.sender);
    }

    /// @inheritdoc ISealnetProjects
    function recordGrant(bytes32 projectId, bytes32 grantee, uint32 version, bytes32 wrappedKeyHash, bytes32 measurement)
        external
    {
        _checkRole(projectId, ADMIN_ROLE);
        uint32 current = _projects[projectId].keyVersion;
        if (version != current) revert ProjectsWrongKeyVersion(projectId, version, current);
        if (identities.isKind(grantee, ISealnetIdentities.Kind.Node)) {
            if (!_allowed[projectId][measurement]) revert ProjectsMeasurementNotAllowed(projectId, measurement);
            _everGranted[projectId][grantee] = true;
        } else if (!identities.isKind(grantee, ISealnetIdentities.Kind.User)) {
            revert ProjectsUnknownIdentity(grantee);
        }
        _grants[projectId][grantee] = Grant(version, wrappedKeyHash);
        emit ProjectKeyGranted(projectId, grantee, version, wrappedKeyHash, measurement, msg.sender);
    }

    /// @inheritdoc ISealnetProjects
    function revokeGrant(bytes32 projectId, bytes32 grantee) external {
        _checkRole(projectId, ADMIN_ROLE);
        uint32 version = _grants[projectId][grantee].keyVersion;
        delete _grants[projectId][grantee];
        emit ProjectKeyRevoked(projectId, grantee, version, msg.sender);
    }

    /// @inheritdoc ISealnetProjects
    function allowMeasurement(bytes32 projectId, bytes32 measurement) external {
        _checkRole(projectId, ADMIN_ROLE);
        _allowed[projectId][measurement] = true;
        emit ProjectMeasurementAllowed(projectId, measurement, msg.sender);
    }

    /// @inheritdoc ISealnetProjects
    function disallowMeasurement(bytes32 projectId, bytes32 measurement) external {
        _checkRole(projectId, ADMIN_ROLE);
        _allowed[projectId][measurement] = false;
        emit ProjectMeasurementDisallowed(projectId, measurement, msg.sender);
    }

    /// @inheritdoc ISealnetProjects
    function recordAccessBatch(bytes32 projectId, bytes32 nodeId, bytes32 root, AccessRecord[] calldata records) external {
        if (!_projects[projectId].exists) revert ProjectsUnknown(projectId);
        bool isNode = identities.isKind(nodeId, ISealnetIdentities.Kind.Node);
        if (!isNode || identities.identity(nodeId).controller != msg.sender || !_everGranted[projectId][nodeId]) {
            revert ProjectsNodeNotAuthorized(projectId, nodeId, msg.sender);
        }
        if (records.length == 0) revert ProjectsEmptyBatch(projectId);
        if (_grants[projectId][nodeId].keyVersion == 0) {
            for (uint256 i = 0; i < records.length; i++) {
                if (records[i].action != DELETE_ACTION) revert ProjectsRevokedNodeRecordsOnlyDeletions(projectId, nodeId, i);
            }
        }
        emit ProjectAccessBatchRecorded(projectId, nodeId, root, records);
    }

    /// @inheritdoc ISealnetProjects
    function commitDataset(bytes32 projectId, bytes32 datasetId, bytes32 root, uint32 chunks, bytes32 manifest)
        external
    {
        _checkRole(projectId, MEMBER_ROLE);
        if (_datasets[projectId][datasetId].root != 0) revert ProjectsDatasetExists(projectId, datasetId);
        _datasets[projectId][datasetId] = Dataset(root, manifest);
        emit ProjectDatasetCommitted(projectId, datasetId, root, chunks, manifest, msg.sender);
    }

    /// @inheritdoc ISealnetProjects
    function resealDataset(bytes32 projectId, bytes32 datasetId, bytes32 manifest) external {
        _checkRole(projectId, ADMIN_ROLE);
        Dataset storage committed = _datasets[projectId][datasetId];
        if (committed.root == 0) revert ProjectsUnknownDataset(projectId, datasetId);
        if (manifest == 0) revert ProjectsEmptyManifest(projectId, datasetId);
        committed.manifest = manifest;
        emit ProjectDatasetResealed(projectId, datasetId, manifest, _projects[projectId].keyVersion, msg.sender);
    }

    /// @inheritdoc ISealnetProjects
    function datasetRoot(bytes32 projectId, bytes32 datasetId) external view returns (bytes32) {
        return _datasets[projectId][datasetId].root;
    }

    /// @inheritdoc ISealnetProjects
    function dataset(bytes32 projectId, bytes32 datasetId) external view returns (bytes32 root, bytes32 manifest) {
        Dataset storage committed = _datasets[projectId][datasetId];
        return (committed.root, committed.manifest);
    }

    /// @inheritdoc ISealnetProjects
    function hasRole(bytes32 projectId, bytes32 role, address account) public view returns (bool) {
        mapping(bytes32 => mapping(address => bool)) storage roles = _roles[projectId];
        if (roles[role][account] || roles[OWNER_ROLE][account]) return true;
        // ranks: an owner passes every check, an admin passes member checks
        return role == MEMBER_ROLE && roles[ADMIN_ROLE][account];
    }

    /// @inheritdoc ISealnetProjects
    function keyVersion(bytes32 projectId) external view returns (uint32) {
        return _project(projectId).keyVersion;
    }

    /// @inheritdoc ISealnetProjects
    function retention(bytes32 projectId) external view returns (uint64) {
        return _project(projectId).retentionSeconds;
    }

    /// @inheritdoc ISealnetProjects
    function grantOf(bytes32 projectId, bytes32 grantee) external view returns (Grant memory) {
        return _grants[projectId][grantee];
    }

    /// @inheritdoc ISealnetProjects
    function isMeasurementAllowed(bytes32 projectId, bytes32 measurement) external view returns (bool) {
        return _allowed[projectId][measurement];
    }

    function _project(bytes32 projectId) private view returns (Project memory found) {
        found = _projects[projectId];
        if (!found.exists) revert ProjectsUnknown(projectId);
    }

    function _checkRole(bytes32 projectId, bytes32 role) private view {
        _project(projectId);
        if (!hasRole(projectId, role, msg.sender)) revert ProjectsMissingRole(projectId, msg.sender, role);
    }

    /// @dev Owners manage owners and admins; admins manage members and auditors.
    function _managerOf(bytes32 role) private pure returns (bytes32) {
        if (role == OWNER_ROLE || role == ADMIN_ROLE) return OWNER_ROLE;
        if (role == MEMBER_ROLE || role == AUDITOR_ROLE) return ADMIN_ROLE;
        revert ProjectsInvalidRole(role);
    }

    function _grantRole(bytes32 projectId, bytes32 role, address account) private {
        _roles[projectId][role][account] = true;
        emit ProjectRoleGranted(projectId, role, account, msg.sender);
    }
}
