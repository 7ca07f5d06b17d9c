// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Checks the proof of a job result. The circuits issue supplies a Groth16 adapter;
/// it decides how `inputCommitment` and `resultHash` appear among the public signals.
interface IJobProofVerifier {
    /// @notice Whether `proof` shows that `resultHash` is the result of a `kind` job over the data committed in `inputCommitment`.
    function verifyJobProof(
        bytes32 kind,
        bytes32 inputCommitment,
        bytes32 resultHash,
        bytes calldata proof,
        uint256[] calldata publicSignals
    ) external view returns (bool);
}
