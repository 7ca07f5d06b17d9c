// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IJobProofVerifier} from "./interfaces/IJobProofVerifier.sol";
import {IStatsGroth16Verifier} from "./interfaces/IStatsGroth16Verifier.sol";
import {SortedPairMerkle} from "./libraries/SortedPairMerkle.sol";

/// @title Checks a `stats` job: one Groth16 proof per chunk of the committed dataset.
/// @notice Accepts when every chunk proof verifies, all use one threshold, the chunk
/// commitments are the leaves of the job's input commitment (sorted-pair keccak Merkle
/// root, as protocol/ledger/merkle.ts) and the result hash is
/// keccak256(abi.encode(count, sum, sumOfSquares, threshold)) of the summed chunk results.
contract StatsJobVerifier is IJobProofVerifier {
    bytes32 public constant STATS = keccak256("stats");

    struct ChunkProof {
        uint256[2] a;
        uint256[2][2] b;
        uint256[2] c;
        /// @dev count, sum, sumOfSquares, commitment, threshold, length
        uint256[6] pub;
    }

    IStatsGroth16Verifier public immutable groth16;

    constructor(IStatsGroth16Verifier groth16_) {
        groth16 = groth16_;
    }

    /// @inheritdoc IJobProofVerifier
    function verifyJobProof(bytes32 kind, bytes32 inputCommitment, bytes32 resultHash, bytes calldata proof, uint256[] calldata)
        external
        view
        returns (bool)
    {
        if (kind != STATS) return false;
        ChunkProof[] memory chunks = abi.decode(proof, (ChunkProof[]));
        if (chunks.length == 0) return false;
        uint256 threshold = chunks[0].pub[4];
        uint256[3] memory totals;
        bytes32[] memory leaves = new bytes32[](chunks.length);
        for (uint256 i = 0; i < chunks.length; i++) {
            ChunkProof memory chunk = chunks[i];
            if (chunk.pub[4] != threshold) return false;
            if (!groth16.verifyProof(chunk.a, chunk.b, chunk.c, chunk.pub)) return false;
            totals[0] += chunk.pub[0];
            totals[1] += chunk.pub[1];
            totals[2] += chunk.pub[2];
            leaves[i] = bytes32(chunk.pub[3]);
        }
        if (SortedPairMerkle.root(leaves) != inputCommitment) return false;
        return resultHash == keccak256(abi.encode(totals[0], totals[1], totals[2], threshold));
    }
}
