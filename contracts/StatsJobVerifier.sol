// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IJobProofVerifier} from "./interfaces/IJobProofVerifier.sol";
import {IStatsGroth16Verifier} from "./interfaces/IStatsGroth16Verifier.sol";
import {OrderedMerkle} from "./libraries/OrderedMerkle.sol";

/// @title Checks a `stats` job: one Groth16 proof per chunk of the committed dataset.
/// @notice Accepts when every chunk proof verifies, the chunk commitments are the leaves
/// of the job's input commitment (ordered keccak Merkle root, as
/// protocol/ledger/merkle.ts) and the result hash is keccak256(abi.encode(uint256[]
/// resultCommitments)) over the chunks in order. The results themselves (count, sum, sum
/// of squares, threshold) never reach the chain: each proof states only their salted
/// Poseidon commitment, which the submitter opens.
contract StatsJobVerifier is IJobProofVerifier {
    bytes32 public constant STATS = keccak256("stats");

    struct ChunkProof {
        uint256[2] a;
        uint256[2][2] b;
        uint256[2] c;
        /// @dev resultCommitment, commitment, length
        uint256[3] pub;
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
        uint256[] memory results = new uint256[](chunks.length);
        bytes32[] memory leaves = new bytes32[](chunks.length);
        for (uint256 i = 0; i < chunks.length; i++) {
            ChunkProof memory chunk = chunks[i];
            if (!groth16.verifyProof(chunk.a, chunk.b, chunk.c, chunk.pub)) return false;
            results[i] = chunk.pub[0];
            leaves[i] = bytes32(chunk.pub[1]);
        }
        if (OrderedMerkle.root(leaves) != inputCommitment) return false;
        return resultHash == keccak256(abi.encode(results));
    }
}
