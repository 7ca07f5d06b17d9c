// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Sealnet jobs: submitted, assigned, completed with a checked proof, or failed and retried;
/// withdrawn by their submitter when no node can ever run them.
interface ISealnetJobs {
    enum Status {
        None,
        Submitted,
        Assigned,
        Completed,
        Cancelled
    }

    struct Job {
        bytes32 projectId;
        bytes32 kind;
        bytes32 specHash;
        bytes32 inputCommitment;
        address submitter;
        Status status;
        bytes32 nodeId;
        uint64 assignedAt;
        bytes32 resultHash;
    }

    error JobsAlreadyExists(bytes32 jobId);
    error JobsUnknown(bytes32 jobId);
    error JobsWrongStatus(bytes32 jobId, Status status);
    error JobsNodeNotAuthorized(bytes32 jobId, bytes32 nodeId, address who);
    error JobsNotAllowedToFail(bytes32 jobId, address who);
    error JobsNotSubmitter(bytes32 jobId, address who);
    error JobsVerifierUnset(bytes32 jobId);
    error JobsInvalidProof(bytes32 jobId);
    error JobsNodeRevoked(bytes32 jobId, bytes32 nodeId);

    event JobSubmitted(
        bytes32 indexed jobId, bytes32 indexed projectId, bytes32 kind, bytes32 specHash, bytes32 inputCommitment, address submitter
    );
    event JobAssigned(bytes32 indexed jobId, bytes32 indexed projectId, bytes32 indexed nodeId);
    event JobCompleted(bytes32 indexed jobId, bytes32 indexed projectId, bytes32 indexed nodeId, bytes32 resultHash);
    /// @notice The job failed on `nodeId`; it is open for assignment again.
    event JobFailed(bytes32 indexed jobId, bytes32 indexed projectId, bytes32 indexed nodeId, string reason);
    /// @notice The submitter withdrew the job, for `reason`: no node may take it any more.
    event JobCancelled(bytes32 indexed jobId, bytes32 indexed projectId, address submitter, string reason);

    /// @notice Submits job `jobId` (chosen by the client, so a resubmission is refused, not duplicated).
    /// @dev Requirements: caller is a project member; the id is new. Emits {JobSubmitted}.
    function submitJob(bytes32 jobId, bytes32 projectId, bytes32 kind, bytes32 specHash, bytes32 inputCommitment) external;

    /// @notice A node takes the job.
    /// @dev Requirements: status Submitted; caller controls `nodeId`, a node holding a grant on the project. Emits {JobAssigned}.
    function assignJob(bytes32 jobId, bytes32 nodeId) external;

    /// @notice The assigned node delivers the result hash with its proof, checked by the verifier.
    /// @dev Requirements: status Assigned; caller controls the assigned node, whose grant on the
    /// project still stands (JobsNodeRevoked otherwise); the proof verifies. Emits {JobCompleted}.
    function completeJob(bytes32 jobId, bytes32 resultHash, bytes calldata proof, uint256[] calldata publicSignals) external;

    /// @notice Records that the assigned node failed; the job can be assigned again.
    /// @dev Requirements: status Assigned; caller controls the assigned node or submitted the job. Emits {JobFailed}.
    function failJob(bytes32 jobId, string calldata reason) external;

    /// @notice The submitter withdraws the job (a node found it can never run, say): it is final.
    /// @dev Requirements: status Submitted or Assigned; caller submitted the job. Emits {JobCancelled}.
    function cancelJob(bytes32 jobId, string calldata reason) external;

    /// @notice The job `jobId`; reverts {JobsUnknown} if none.
    function job(bytes32 jobId) external view returns (Job memory);
}
