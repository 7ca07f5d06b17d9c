// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IJobProofVerifier} from "./interfaces/IJobProofVerifier.sol";

/// @title Accepts an attested job's result: an ONNX inference or a training run, which no
/// circuit here proves. The node that ran it vouches for it; what the chain binds is what
/// it ran on and what it delivered.
/// @notice A job of an attested kind commits, when submitted, to
/// `keccak256(abi.encode(datasetRoot, modelHash))` (`modelHash` 0 for a training run). Its
/// completion states both in the clear as its two public signals, so the chain's record of
/// the job names the dataset root and the model's SHA-256, and this adapter checks that they
/// are the ones committed. The result hash binds the node to the result it sealed to the
/// submitter, whose SDK re-checks it; a wrong result is attributable, not prevented.
contract AttestedJobVerifier is IJobProofVerifier {
    /// @inheritdoc IJobProofVerifier
    /// @dev `publicSignals` is `[datasetRoot, modelHash]`; `proof` must be empty.
    function verifyJobProof(
        bytes32,
        bytes32 inputCommitment,
        bytes32 resultHash,
        bytes calldata proof,
        uint256[] calldata publicSignals
    ) external pure returns (bool) {
        if (resultHash == bytes32(0) || proof.length != 0 || publicSignals.length != 2) return false;
        return keccak256(abi.encode(publicSignals[0], publicSignals[1])) == inputCommitment;
    }
}
