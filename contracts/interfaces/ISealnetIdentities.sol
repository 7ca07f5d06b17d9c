// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title Sealnet identities: users and nodes with their master-key public records.
/// @notice The full verification record (challenge, signature, KDF parameters, derivation
/// version) is emitted, never interpreted on chain: clients verify it off chain.
interface ISealnetIdentities {
    enum Kind {
        None,
        User,
        Node
    }

    struct Identity {
        Kind kind;
        /// @dev The account that registered the identity and may rotate its key.
        address controller;
        /// @dev SHA-256 of the SubjectPublicKeyInfo DER of the current key.
        bytes32 fingerprint;
        /// @dev 1 at registration, +1 per rotation.
        uint32 keyVersion;
        /// @dev SubjectPublicKeyInfo DER of the current public key.
        bytes publicKey;
        /// @dev libp2p peer id, nodes only.
        string peerId;
    }

    error IdentitiesAlreadyRegistered(bytes32 identityId);
    error IdentitiesUnknown(bytes32 identityId);
    error IdentitiesNotController(bytes32 identityId, address who);
    error IdentitiesInvalidRecord(bytes32 identityId);
    error IdentitiesInvalidName(string name);

    /// @notice A user or node registered its first key. `record` is the JSON verification record.
    event IdentityRegistered(
        bytes32 indexed identityId,
        Kind kind,
        address indexed controller,
        string name,
        bytes32 fingerprint,
        bytes publicKey,
        string peerId,
        string record
    );

    /// @notice An identity handed control to another account (a lost or compromised wallet replaced).
    event IdentityControllerChanged(bytes32 indexed identityId, address indexed previous, address indexed controller);

    /// @notice An identity replaced its key; the old key stays in the log.
    event IdentityKeyRotated(
        bytes32 indexed identityId,
        uint32 keyVersion,
        bytes32 oldFingerprint,
        bytes32 newFingerprint,
        bytes publicKey,
        string record
    );

    /// @notice Registers `name` (identityId = keccak256(name)) with its first key.
    /// @dev Requirements: the name is 1-256 bytes with no control byte; not registered yet;
    /// fingerprint and public key non-empty; nodes give a peer id.
    /// Emits {IdentityRegistered}.
    function register(
        string calldata name,
        Kind kind,
        bytes32 fingerprint,
        bytes calldata publicKey,
        string calldata peerId,
        string calldata record
    ) external returns (bytes32 identityId);

    /// @notice Hands control of an identity (who may rotate its key, and act for a node) to another account.
    /// @dev Requirements: caller is the controller; the new controller is not address(0).
    /// Emits {IdentityControllerChanged}.
    function setController(bytes32 identityId, address controller) external;

    /// @notice Replaces the key of an identity.
    /// @dev Requirements: caller is the controller. Emits {IdentityKeyRotated}.
    function rotateKey(bytes32 identityId, bytes32 fingerprint, bytes calldata publicKey, string calldata record) external;

    /// @notice The identity registered under `identityId`; reverts {IdentitiesUnknown} if none.
    function identity(bytes32 identityId) external view returns (Identity memory);

    /// @notice Whether `identityId` is registered as `kind`.
    function isKind(bytes32 identityId, Kind kind) external view returns (bool);
}
