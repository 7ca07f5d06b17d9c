// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ISealnetProjects} from "./interfaces/ISealnetProjects.sol";
import {ISealnetSensitiveActions} from "./interfaces/ISealnetSensitiveActions.sol";

/// @title Deletions and model deployments happen only with k of n approvals.
contract SealnetSensitiveActions is ISealnetSensitiveActions, EIP712 {
    bytes32 private constant OWNER_ROLE = keccak256("OWNER");
    bytes32 private constant ADMIN_ROLE = keccak256("ADMIN");
    /// @dev The typed data approvers sign. actionId already binds project, kind, target and a nonce.
    bytes32 private constant APPROVAL_TYPEHASH =
        keccak256("Approval(bytes32 actionId,bytes32 projectId,bytes32 kind,bytes32 target)");
    /// @dev Action kinds that change the approval rules themselves (protocol/ledger ACTION_KINDS).
    bytes32 public constant CHANGE_APPROVERS = keccak256("change-approvers");
    bytes32 public constant CUT_RETENTION = keccak256("cut-retention");
    /// @notice How long a proposal's approvals stay good.
    uint64 public constant ACTION_LIFETIME = 7 days;
    /// @notice How long an approved change waits before it can take effect: time for anyone to see it.
    uint64 public constant CHANGE_DELAY = 1 days;

    ISealnetProjects public immutable projects;

    mapping(bytes32 projectId => mapping(address approver => bool)) private _isApprover;
    mapping(bytes32 projectId => address[]) private _approvers;
    mapping(bytes32 projectId => uint8) private _threshold;
    mapping(bytes32 actionId => Action) private _actions;
    /// @dev Executed rule changes not used yet, with when they were executed.
    mapping(bytes32 projectId => mapping(bytes32 kind => mapping(bytes32 target => uint64 executedAt))) private
        _approvedChanges;
    uint256 private _nonce;

    constructor(ISealnetProjects projects_) EIP712("Sealnet", "1") {
        projects = projects_;
    }

    /// @inheritdoc ISealnetSensitiveActions
    function setApprovers(bytes32 projectId, address[] calldata approvers, uint8 threshold) external {
        _checkRole(projectId, OWNER_ROLE);
        if (threshold == 0 || threshold > approvers.length) {
            revert ActionsInvalidApprovers(projectId, approvers.length, threshold);
        }
        address[] storage current = _approvers[projectId];
        for (uint256 i = 0; i < current.length; i++) {
            _isApprover[projectId][current[i]] = false;
        }
        delete _approvers[projectId];
        for (uint256 i = 0; i < approvers.length; i++) {
            address approver = approvers[i];
            if (approver == address(0) || _isApprover[projectId][approver]) {
                revert ActionsInvalidApprovers(projectId, approvers.length, threshold);
            }
            _isApprover[projectId][approver] = true;
            current.push(approver);
        }
        // the owner alone can't replace the approvers (and make himself the only one)
        if (_threshold[projectId] != 0) {
            _consumeChange(projectId, CHANGE_APPROVERS, keccak256(abi.encode(approvers, threshold)));
        }
        _threshold[projectId] = threshold;
        emit ActionApproversChanged(projectId, approvers, threshold, msg.sender);
    }

    /// @inheritdoc ISealnetSensitiveActions
    function propose(bytes32 projectId, bytes32 kind, bytes32 target) external returns (bytes32 actionId) {
        _checkRole(projectId, ADMIN_ROLE);
        actionId = keccak256(abi.encode(projectId, kind, target, ++_nonce));
        _actions[actionId] =
            Action(projectId, kind, target, msg.sender, false, false, uint64(block.timestamp) + ACTION_LIFETIME, 0);
        emit ActionProposed(actionId, projectId, kind, target, msg.sender);
    }

    /// @inheritdoc ISealnetSensitiveActions
    function execute(bytes32 actionId, bytes[] calldata signatures) external {
        Action storage proposed = _action(actionId);
        if (proposed.executed) revert ActionsAlreadyExecuted(actionId);
        if (proposed.cancelled) revert ActionsCancelled(actionId);
        if (block.timestamp > proposed.expiresAt) revert ActionsExpired(actionId, proposed.expiresAt);
        bytes32 projectId = proposed.projectId;
        uint8 threshold = _threshold[projectId];
        if (signatures.length < threshold || threshold == 0) {
            revert ActionsBelowThreshold(actionId, signatures.length, threshold);
        }
        bytes32 digest = approvalDigest(actionId);
        address previous = address(0);
        for (uint256 i = 0; i < signatures.length; i++) {
            address signer = ECDSA.recover(digest, signatures[i]);
            if (!_isApprover[projectId][signer]) revert ActionsNotApprover(actionId, signer);
            // ascending order proves the signers distinct without a set
            if (signer <= previous) revert ActionsUnsortedSigners(actionId, signer);
            previous = signer;
            emit ActionApproved(actionId, projectId, signer);
        }
        proposed.executed = true;
        proposed.executedAt = uint64(block.timestamp);
        if (proposed.kind == CHANGE_APPROVERS || proposed.kind == CUT_RETENTION) {
            _approvedChanges[projectId][proposed.kind][proposed.target] = uint64(block.timestamp);
        }
        emit ActionExecuted(actionId, projectId, proposed.kind, proposed.target, signatures.length);
    }

    /// @inheritdoc ISealnetSensitiveActions
    function cancel(bytes32 actionId) external {
        Action storage proposed = _action(actionId);
        if (proposed.executed) revert ActionsAlreadyExecuted(actionId);
        if (proposed.proposer != msg.sender && !projects.hasRole(proposed.projectId, OWNER_ROLE, msg.sender)) {
            revert ActionsNotCancellable(actionId, msg.sender);
        }
        proposed.cancelled = true;
        emit ActionCancelled(actionId, proposed.projectId, msg.sender);
    }

    /// @inheritdoc ISealnetSensitiveActions
    function consumeApprovedChange(bytes32 projectId, bytes32 kind, bytes32 target) external {
        if (msg.sender != address(projects)) revert ActionsOnlyProjects(msg.sender);
        _consumeChange(projectId, kind, target);
    }

    function _consumeChange(bytes32 projectId, bytes32 kind, bytes32 target) private {
        uint64 executedAt = _approvedChanges[projectId][kind][target];
        if (executedAt == 0) revert ActionsChangeNotApproved(projectId, kind, target);
        if (block.timestamp < executedAt + CHANGE_DELAY) {
            revert ActionsChangeNotReady(projectId, kind, executedAt + CHANGE_DELAY);
        }
        delete _approvedChanges[projectId][kind][target];
        emit ActionChangeApplied(projectId, kind, target);
    }

    /// @inheritdoc ISealnetSensitiveActions
    function approvalDigest(bytes32 actionId) public view returns (bytes32) {
        Action storage proposed = _action(actionId);
        return _hashTypedDataV4(
            keccak256(abi.encode(APPROVAL_TYPEHASH, actionId, proposed.projectId, proposed.kind, proposed.target))
        );
    }

    /// @inheritdoc ISealnetSensitiveActions
    function action(bytes32 actionId) external view returns (Action memory) {
        return _action(actionId);
    }

    /// @inheritdoc ISealnetSensitiveActions
    function approversOf(bytes32 projectId) external view returns (address[] memory, uint8) {
        return (_approvers[projectId], _threshold[projectId]);
    }

    function _action(bytes32 actionId) private view returns (Action storage found) {
        found = _actions[actionId];
        if (found.proposer == address(0)) revert ActionsUnknown(actionId);
    }

    function _checkRole(bytes32 projectId, bytes32 role) private view {
        if (!projects.hasRole(projectId, role, msg.sender)) {
            revert ISealnetProjects.ProjectsMissingRole(projectId, msg.sender, role);
        }
    }
}
