// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IJobProofVerifier} from "./interfaces/IJobProofVerifier.sol";
import {SortedPairMerkle} from "./libraries/SortedPairMerkle.sol";

/// @title Checks a `linear` job: one Groth16 proof per chunk of R records.
/// @notice Accepts when every chunk proof verifies, all use one model commitment, the
/// chunk commitments are the leaves of the job's input commitment, and the result hash is
/// keccak256(abi.encode(modelCommitment, int256[] outputs)) over the chunks in order.
contract LinearJobVerifier is IJobProofVerifier {
    bytes32 public constant LINEAR = keccak256("linear");
    /// @dev BN254 scalar field order: outputs above half of it are negative.
    uint256 private constant FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    struct ChunkProof {
        uint256[2] a;
        uint256[2][2] b;
        uint256[2] c;
        /// @dev y_0 … y_{R−1}, dataCommitment, modelCommitment, length
        uint256[] pub;
    }

    /// @dev The snarkjs verifier for this R; its verifyProof takes uint256[R + 3].
    address public immutable groth16;
    uint256 public immutable records;
    bytes4 private immutable _verifyProof;

    constructor(address groth16_, uint256 records_) {
        groth16 = groth16_;
        records = records_;
        _verifyProof = bytes4(
            keccak256(
                abi.encodePacked(
                    "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[", Strings.toString(records_ + 3), "])"
                )
            )
        );
    }

    /// @inheritdoc IJobProofVerifier
    function verifyJobProof(bytes32 kind, bytes32 inputCommitment, bytes32 resultHash, bytes calldata proof, uint256[] calldata)
        external
        view
        returns (bool)
    {
        if (kind != LINEAR) return false;
        ChunkProof[] memory chunks = abi.decode(proof, (ChunkProof[]));
        if (chunks.length == 0) return false;
        uint256 r = records;
        uint256 model = chunks[0].pub.length == r + 3 ? chunks[0].pub[r + 1] : 0;
        bytes32[] memory leaves = new bytes32[](chunks.length);
        int256[] memory outputs = new int256[](chunks.length * r);
        uint256 used = 0;
        for (uint256 i = 0; i < chunks.length; i++) {
            uint256[] memory pub = chunks[i].pub;
            if (pub.length != r + 3 || pub[r + 1] != model || !_verify(chunks[i])) return false;
            leaves[i] = bytes32(pub[r]);
            for (uint256 k = 0; k < pub[r + 2]; k++) {
                outputs[used++] = pub[k] > FIELD / 2 ? -int256(FIELD - pub[k]) : int256(pub[k]);
            }
        }
        // trim the outputs array to the records actually used
        assembly {
            mstore(outputs, used)
        }
        if (SortedPairMerkle.root(leaves) != inputCommitment) return false;
        return resultHash == keccak256(abi.encode(model, outputs));
    }

    /// @dev Calls verifyProof(uint256[2], uint256[2][2], uint256[2], uint256[R + 3]): static
    /// arrays encode as their words in order, which encodePacked of the parts gives.
    function _verify(ChunkProof memory chunk) private view returns (bool) {
        bytes memory call = abi.encodePacked(_verifyProof, chunk.a, chunk.b[0], chunk.b[1], chunk.c, chunk.pub);
        (bool ok, bytes memory answer) = groth16.staticcall(call);
        return ok && answer.length == 32 && abi.decode(answer, (bool));
    }
}
