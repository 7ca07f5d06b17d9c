// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {IJobProofVerifier} from "../interfaces/IJobProofVerifier.sol";

/// @title Test double: accepts exactly the proof bytes it was built with. Unit tests of SealnetJobs only.
contract FixedVerifier is IJobProofVerifier {
    bytes32 private immutable _acceptedProofHash;

    constructor(bytes memory acceptedProof) {
        _acceptedProofHash = keccak256(acceptedProof);
    }

    function verifyJobProof(bytes32, bytes32, bytes32, bytes calldata proof, uint256[] calldata)
        external
        view
        returns (bool)
    {
        return keccak256(proof) == _acceptedProofHash;
    }
}
