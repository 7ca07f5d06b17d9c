// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title What a project or identity name may be (protocol/names.ts checks the same, and more).
/// @notice A control byte would let one name be a prefix of another's encoding off chain
/// (`acme\0x` after `acme\0`) or display as another name.
library Names {
    /// @dev The longest name in bytes: MAX_NAME_BYTES in protocol/names.ts.
    uint256 internal constant MAX_BYTES = 256;

    /// @notice Whether `name` is 1 to 256 bytes with no ASCII control byte (0x00-0x1f, 0x7f).
    function isValid(string calldata name) internal pure returns (bool) {
        bytes calldata b = bytes(name);
        if (b.length == 0 || b.length > MAX_BYTES) return false;
        for (uint256 i = 0; i < b.length; ++i) {
            bytes1 c = b[i];
            if (c < 0x20 || c == 0x7f) return false;
        }
        return true;
    }
}
