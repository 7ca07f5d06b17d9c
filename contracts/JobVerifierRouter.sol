// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IJobProofVerifier} from "./interfaces/IJobProofVerifier.sol";

/// @title Sends each job kind's proof to that kind's verifier; unknown kinds are refused.
/// @notice Holders of REGISTRAR_ROLE add kinds, so a new kind needs a verifier and one
/// transaction, not a new SealnetJobs. A kind's verifier is set once and never replaced:
/// a registrar who could swap it could swap in one that accepts anything, and every result
/// already recorded under that kind would silently change meaning. A new version of a
/// kind is a new kind id (for example keccak256("stats/2")).
contract JobVerifierRouter is IJobProofVerifier, AccessControl {
    /// @notice Who may register verifiers for new kinds.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR");

    error JobVerifierRouterKindTaken(bytes32 kind, address verifier);
    error JobVerifierRouterInvalidVerifier(bytes32 kind);

    /// @notice `verifier` checks jobs of `kind` from now on, registered by `registrar`.
    event JobVerifierRegistered(bytes32 indexed kind, address verifier, address indexed registrar);

    mapping(bytes32 kind => IJobProofVerifier) private _verifiers;

    /// @param admin Holds the admin and registrar roles (grants and revokes registrars).
    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REGISTRAR_ROLE, admin);
    }

    /// @notice Registers `verifier` for `kind`, once per kind; REGISTRAR_ROLE only.
    /// @dev Reverts with JobVerifierRouterKindTaken if `kind` has a verifier already.
    function registerVerifier(bytes32 kind, IJobProofVerifier verifier) external onlyRole(REGISTRAR_ROLE) {
        if (address(verifier) == address(0) || kind == bytes32(0)) revert JobVerifierRouterInvalidVerifier(kind);
        address current = address(_verifiers[kind]);
        if (current != address(0)) revert JobVerifierRouterKindTaken(kind, current);
        _verifiers[kind] = verifier;
        emit JobVerifierRegistered(kind, address(verifier), msg.sender);
    }

    /// @inheritdoc IJobProofVerifier
    function verifyJobProof(
        bytes32 kind,
        bytes32 inputCommitment,
        bytes32 resultHash,
        bytes calldata proof,
        uint256[] calldata publicSignals
    ) external view returns (bool) {
        IJobProofVerifier verifier = _verifiers[kind];
        if (address(verifier) == address(0)) return false;
        return verifier.verifyJobProof(kind, inputCommitment, resultHash, proof, publicSignals);
    }

    /// @notice The verifier of `kind`, or address(0).
    function verifierOf(bytes32 kind) external view returns (address) {
        return address(_verifiers[kind]);
    }
}
