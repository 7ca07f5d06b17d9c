// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {ISealnetIdentities} from "./interfaces/ISealnetIdentities.sol";
import {Names} from "./libraries/Names.sol";

/// @title Registry of user and node master keys.
contract SealnetIdentities is ISealnetIdentities {
    mapping(bytes32 identityId => Identity) private _identities;

    /// @inheritdoc ISealnetIdentities
    function register(
        string calldata name,
        Kind kind,
        bytes32 fingerprint,
        bytes calldata publicKey,
        string calldata peerId,
        string calldata record
    ) external returns (bytes32 identityId) {
        if (!Names.isValid(name)) revert IdentitiesInvalidName(name);
        identityId = keccak256(bytes(name));
        if (_identities[identityId].kind != Kind.None) revert IdentitiesAlreadyRegistered(identityId);
        bool validKind = kind == Kind.User || (kind == Kind.Node && bytes(peerId).length > 0);
        if (!validKind || fingerprint == bytes32(0) || publicKey.length == 0 || bytes(name).length == 0) {
            revert IdentitiesInvalidRecord(identityId);
        }
        _identities[identityId] = Identity(kind, msg.sender, fingerprint, 1, publicKey, peerId);
        emit IdentityRegistered(identityId, kind, msg.sender, name, fingerprint, publicKey, peerId, record);
    }

    /// @inheritdoc ISealnetIdentities
    function setController(bytes32 identityId, address controller) external {
        Identity storage current = _identities[identityId];
        if (current.kind == Kind.None) revert IdentitiesUnknown(identityId);
        if (current.controller != msg.sender) revert IdentitiesNotController(identityId, msg.sender);
        if (controller == address(0)) revert IdentitiesInvalidRecord(identityId);
        current.controller = controller;
        emit IdentityControllerChanged(identityId, msg.sender, controller);
    }

    /// @inheritdoc ISealnetIdentities
    function rotateKey(bytes32 identityId, bytes32 fingerprint, bytes calldata publicKey, string calldata record) external {
        Identity storage current = _identities[identityId];
        if (current.kind == Kind.None) revert IdentitiesUnknown(identityId);
        if (current.controller != msg.sender) revert IdentitiesNotController(identityId, msg.sender);
        if (fingerprint == bytes32(0) || publicKey.length == 0) revert IdentitiesInvalidRecord(identityId);
        bytes32 old = current.fingerprint;
        current.fingerprint = fingerprint;
        current.publicKey = publicKey;
        current.keyVersion += 1;
        emit IdentityKeyRotated(identityId, current.keyVersion, old, fingerprint, publicKey, record);
    }

    /// @inheritdoc ISealnetIdentities
    function identity(bytes32 identityId) external view returns (Identity memory) {
        Identity memory found = _identities[identityId];
        if (found.kind == Kind.None) revert IdentitiesUnknown(identityId);
        return found;
    }

    /// @inheritdoc ISealnetIdentities
    function isKind(bytes32 identityId, Kind kind) external view returns (bool) {
        return kind != Kind.None && _identities[identityId].kind == kind;
    }
}
