// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title The Merkle root Sealnet uses on chain (protocol/ledger/merkle.ts computes the same).
/// @notice Pairs hash with keccak256 in sorted order; an odd node moves up unchanged.
library SortedPairMerkle {
    /// @dev Overwrites `level` while it works.
    function root(bytes32[] memory level) internal pure returns (bytes32) {
        uint256 length = level.length;
        while (length > 1) {
            uint256 next = 0;
            for (uint256 i = 0; i < length; i += 2) {
                if (i + 1 == length) {
                    level[next++] = level[i];
                } else {
                    (bytes32 x, bytes32 y) = level[i] < level[i + 1] ? (level[i], level[i + 1]) : (level[i + 1], level[i]);
                    level[next++] = keccak256(abi.encodePacked(x, y));
                }
            }
            length = next;
        }
        return level[0];
    }
}
