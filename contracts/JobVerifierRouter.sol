// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IJobProofVerifier} from "./interfaces/IJobProofVerifier.sol";

/// @title Sends each job kind's proof to that kind's verifier; unknown kinds are refused.
/// @notice The set of kinds is fixed at deployment: a new circuit means a new router.
contract JobVerifierRouter is IJobProofVerifier {
    error JobVerifierRouterMismatch(uint256 kinds, uint256 verifiers);

    /// @notice `verifier` checks jobs of `kind` (emitted once per kind, at deployment).
    event JobVerifierRegistered(bytes32 indexed kind, address verifier);

    mapping(bytes32 kind => IJobProofVerifier) private _verifiers;

    constructor(bytes32[] memory kinds, IJobProofVerifier[] memory verifiers) {
        if (kinds.length != verifiers.length) revert JobVerifierRouterMismatch(kinds.length, verifiers.length);
        for (uint256 i = 0; i < kinds.length; i++) {
            _verifiers[kinds[i]] = verifiers[i];
            emit JobVerifierRegistered(kinds[i], address(verifiers[i]));
        }
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
