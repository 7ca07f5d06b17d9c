// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title The Merkle root Sealnet uses on chain (protocol/ledger/merkle.ts computes the same).
/// @notice Pairs hash with keccak256 as (left, right) in position order; an odd node moves up
/// unchanged. Ordered, not sorted: with sorted pairs two sibling leaves could be swapped and
/// give the same root, so a node could assign a chunk's outputs to another chunk's records.
library OrderedMerkle {
    /// @dev Overwrites `level` while it works.
    function root(bytes32[] memory level) internal pure returns (bytes32) {
        uint256 length = level.length;
        while (length > 1) {
            uint256 next = 0;
            for (uint256 i = 0; i < length; i += 2) {
                level[next++] = i + 1 == length ? level[i] : keccak256(abi.encodePacked(level[i], level[i + 1]));
            }
            length = next;
        }
        return level[0];
    }
}
