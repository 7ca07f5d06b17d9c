// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IJobProofVerifier} from "./interfaces/IJobProofVerifier.sol";
import {IModelGroth16Verifier} from "./interfaces/IModelGroth16Verifier.sol";
import {OrderedMerkle} from "./libraries/OrderedMerkle.sol";

/// @title Checks a model job (`linear`, `mlp`): one Groth16 proof per chunk of R records.
/// @notice Deployed once per kind with that kind's circuit verifier. Accepts when every
/// chunk proof verifies, all use one model commitment, the chunk commitments are the leaves
/// of the job's input commitment, and the result hash is
/// keccak256(abi.encode(modelCommitment, uint256[] resultCommitments)) over the chunks in
/// order. The outputs never reach the chain: each proof states only their salted Poseidon
/// commitment, which the submitter opens.
contract ModelJobVerifier is IJobProofVerifier {
    struct ChunkProof {
        uint256[2] a;
        uint256[2][2] b;
        uint256[2] c;
        /// @dev resultCommitment, dataCommitment, modelCommitment, length
        uint256[4] pub;
    }

    /// @notice The job kind this adapter checks, keccak256 of its name.
    bytes32 public immutable jobKind;
    /// @dev The snarkjs verifier of that kind's circuit, for the deployment's records per chunk.
    IModelGroth16Verifier public immutable groth16;

    constructor(bytes32 jobKind_, IModelGroth16Verifier groth16_) {
        jobKind = jobKind_;
        groth16 = groth16_;
    }

    /// @inheritdoc IJobProofVerifier
    function verifyJobProof(bytes32 kind, bytes32 inputCommitment, bytes32 resultHash, bytes calldata proof, uint256[] calldata)
        external
        view
        returns (bool)
    {
        if (kind != jobKind) return false;
        ChunkProof[] memory chunks = abi.decode(proof, (ChunkProof[]));
        if (chunks.length == 0) return false;
        uint256 model = chunks[0].pub[2];
        uint256[] memory results = new uint256[](chunks.length);
        bytes32[] memory leaves = new bytes32[](chunks.length);
        for (uint256 i = 0; i < chunks.length; i++) {
            ChunkProof memory chunk = chunks[i];
            if (chunk.pub[2] != model || !groth16.verifyProof(chunk.a, chunk.b, chunk.c, chunk.pub)) return false;
            results[i] = chunk.pub[0];
            leaves[i] = bytes32(chunk.pub[1]);
        }
        if (OrderedMerkle.root(leaves) != inputCommitment) return false;
        return resultHash == keccak256(abi.encode(model, results));
    }
}
