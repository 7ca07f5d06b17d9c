// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IJobProofVerifier} from "./interfaces/IJobProofVerifier.sol";
import {ISealnetIdentities} from "./interfaces/ISealnetIdentities.sol";
import {ISealnetJobs} from "./interfaces/ISealnetJobs.sol";
import {ISealnetProjects} from "./interfaces/ISealnetProjects.sol";

/// @title The public life of every job.
contract SealnetJobs is ISealnetJobs {
    bytes32 private constant MEMBER_ROLE = keccak256("MEMBER");

    ISealnetIdentities public immutable identities;
    ISealnetProjects public immutable projects;
    /// @dev address(0) until the circuits supply one: then no job can complete.
    IJobProofVerifier public immutable verifier;

    mapping(bytes32 jobId => Job) private _jobs;

    constructor(ISealnetIdentities identities_, ISealnetProjects projects_, IJobProofVerifier verifier_) {
        identities = identities_;
        projects = projects_;
        verifier = verifier_;
    }

    /// @inheritdoc ISealnetJobs
    function submitJob(bytes32 jobId, bytes32 projectId, bytes32 kind, bytes32 specHash, bytes32 inputCommitment) external {
        if (!projects.hasRole(projectId, MEMBER_ROLE, msg.sender)) {
            revert ISealnetProjects.ProjectsMissingRole(projectId, msg.sender, MEMBER_ROLE);
        }
        if (_jobs[jobId].status != Status.None) revert JobsAlreadyExists(jobId);
        _jobs[jobId] = Job(projectId, kind, specHash, inputCommitment, msg.sender, Status.Submitted, 0, 0, 0);
        emit JobSubmitted(jobId, projectId, kind, specHash, inputCommitment, msg.sender);
    }

    /// @inheritdoc ISealnetJobs
    function assignJob(bytes32 jobId, bytes32 nodeId) external {
        Job storage current = _job(jobId, Status.Submitted);
        bool isNode = identities.isKind(nodeId, ISealnetIdentities.Kind.Node);
        if (!isNode || identities.identity(nodeId).controller != msg.sender || projects.grantOf(current.projectId, nodeId).keyVersion == 0)
        {
            revert JobsNodeNotAuthorized(jobId, nodeId, msg.sender);
        }
        current.status = Status.Assigned;
        current.nodeId = nodeId;
        current.assignedAt = uint64(block.timestamp);
        emit JobAssigned(jobId, current.projectId, nodeId);
    }

    /// @inheritdoc ISealnetJobs
    function completeJob(bytes32 jobId, bytes32 resultHash, bytes calldata proof, uint256[] calldata publicSignals) external {
        Job storage current = _job(jobId, Status.Assigned);
        if (identities.identity(current.nodeId).controller != msg.sender) {
            revert JobsNodeNotAuthorized(jobId, current.nodeId, msg.sender);
        }
        // a node revoked after its claim no longer speaks for the project
        if (projects.grantOf(current.projectId, current.nodeId).keyVersion == 0) {
            revert JobsNodeRevoked(jobId, current.nodeId);
        }
        if (address(verifier) == address(0)) revert JobsVerifierUnset(jobId);
        // a verifier that reverts (malformed proof bytes, say) refuses the proof like one that says false
        try verifier.verifyJobProof(current.kind, current.inputCommitment, resultHash, proof, publicSignals) returns (bool ok) {
            if (!ok) revert JobsInvalidProof(jobId);
        } catch {
            revert JobsInvalidProof(jobId);
        }
        current.status = Status.Completed;
        current.resultHash = resultHash;
        emit JobCompleted(jobId, current.projectId, current.nodeId, resultHash);
    }

    /// @inheritdoc ISealnetJobs
    function failJob(bytes32 jobId, string calldata reason) external {
        Job storage current = _job(jobId, Status.Assigned);
        bool isNode = identities.identity(current.nodeId).controller == msg.sender;
        if (!isNode && current.submitter != msg.sender) revert JobsNotAllowedToFail(jobId, msg.sender);
        bytes32 failedNode = current.nodeId;
        current.status = Status.Submitted;
        current.nodeId = 0;
        current.assignedAt = 0;
        emit JobFailed(jobId, current.projectId, failedNode, reason);
    }

    /// @inheritdoc ISealnetJobs
    function cancelJob(bytes32 jobId, string calldata reason) external {
        Job storage current = _jobs[jobId];
        if (current.status == Status.None) revert JobsUnknown(jobId);
        if (current.status != Status.Submitted && current.status != Status.Assigned) {
            revert JobsWrongStatus(jobId, current.status);
        }
        if (current.submitter != msg.sender) revert JobsNotSubmitter(jobId, msg.sender);
        current.status = Status.Cancelled;
        emit JobCancelled(jobId, current.projectId, msg.sender, reason);
    }

    /// @inheritdoc ISealnetJobs
    function job(bytes32 jobId) external view returns (Job memory) {
        Job memory found = _jobs[jobId];
        if (found.status == Status.None) revert JobsUnknown(jobId);
        return found;
    }

    function _job(bytes32 jobId, Status expected) private view returns (Job storage found) {
        found = _jobs[jobId];
        if (found.status == Status.None) revert JobsUnknown(jobId);
        if (found.status != expected) revert JobsWrongStatus(jobId, found.status);
    }
}
