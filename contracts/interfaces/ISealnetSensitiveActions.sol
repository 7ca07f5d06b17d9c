// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title k-of-n approval of sensitive actions (data deletion, model deployment) with EIP-712 signatures.
interface ISealnetSensitiveActions {
    struct Action {
        bytes32 projectId;
        bytes32 kind;
        bytes32 target;
        address proposer;
        bool executed;
        bool cancelled;
        /// @dev Approvals sign the action: past this time they count for nothing.
        uint64 expiresAt;
        uint64 executedAt;
    }

    error ActionsInvalidApprovers(bytes32 projectId, uint256 approvers, uint8 threshold);
    error ActionsUnknown(bytes32 actionId);
    error ActionsAlreadyExecuted(bytes32 actionId);
    error ActionsNotApprover(bytes32 actionId, address signer);
    error ActionsUnsortedSigners(bytes32 actionId, address signer);
    error ActionsBelowThreshold(bytes32 actionId, uint256 approvals, uint8 threshold);
    error ActionsExpired(bytes32 actionId, uint64 expiresAt);
    error ActionsCancelled(bytes32 actionId);
    error ActionsNotCancellable(bytes32 actionId, address who);
    error ActionsChangeNotApproved(bytes32 projectId, bytes32 kind, bytes32 target);
    error ActionsChangeNotReady(bytes32 projectId, bytes32 kind, uint64 readyAt);
    error ActionsOnlyProjects(address who);

    event ActionApproversChanged(bytes32 indexed projectId, address[] approvers, uint8 threshold, address sender);
    event ActionProposed(bytes32 indexed actionId, bytes32 indexed projectId, bytes32 kind, bytes32 target, address proposer);
    event ActionApproved(bytes32 indexed actionId, bytes32 indexed projectId, address indexed approver);
    event ActionExecuted(bytes32 indexed actionId, bytes32 indexed projectId, bytes32 kind, bytes32 target, uint256 approvals);
    event ActionCancelled(bytes32 indexed actionId, bytes32 indexed projectId, address sender);
    /// @notice An approved change (new approvers, a retention cut) took effect and can't be used again.
    event ActionChangeApplied(bytes32 indexed projectId, bytes32 kind, bytes32 target);

    /// @notice Sets the n designated approvers of a project and the k needed.
    /// @dev Requirements: project owner; 1 ≤ k ≤ n; no zero or repeated address. Once a project
    /// has approvers, a new set needs an executed `change-approvers` action whose target is
    /// keccak256(abi.encode(approvers, threshold)), executed at least CHANGE_DELAY ago (then
    /// used up). Emits {ActionApproversChanged} (and {ActionChangeApplied} for a change).
    function setApprovers(bytes32 projectId, address[] calldata approvers, uint8 threshold) external;

    /// @notice Proposes an action; approvers then sign Approval(actionId) off chain.
    /// @dev Requirements: project admin. Emits {ActionProposed}.
    function propose(bytes32 projectId, bytes32 kind, bytes32 target) external returns (bytes32 actionId);

    /// @notice Executes an action with at least k approvals, signatures ordered by signer address.
    /// @dev Requirements: not executed, cancelled or expired; every signer a current approver,
    /// each once; at least k. Emits {ActionApproved} per signature and {ActionExecuted}.
    function execute(bytes32 actionId, bytes[] calldata signatures) external;

    /// @notice Withdraws a proposed action: its approvals then count for nothing.
    /// @dev Requirements: not executed; the proposer or a project owner. Emits {ActionCancelled}.
    function cancel(bytes32 actionId) external;

    /// @notice Uses up an executed change of `kind` to `target` once its delay passed.
    /// @dev Requirements: called by the projects contract; such a change executed at least
    /// CHANGE_DELAY ago and not used yet. Emits {ActionChangeApplied}.
    function consumeApprovedChange(bytes32 projectId, bytes32 kind, bytes32 target) external;

    /// @notice The EIP-712 digest an approver signs for `actionId`.
    function approvalDigest(bytes32 actionId) external view returns (bytes32);

    /// @notice The action `actionId`; reverts {ActionsUnknown} if none.
    function action(bytes32 actionId) external view returns (Action memory);

    /// @notice The current approvers of a project and how many of them an action needs.
    function approversOf(bytes32 projectId) external view returns (address[] memory approvers, uint8 threshold);
}
