pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "./chunk-commitment.circom";

// Fixed-point linear model inference y_r = Σ_j w_j · x_{r,j} + b for the first `length`
// of R records with F features each. The data (a committed chunk, row-major), the model
// (weights and bias, committed with their own salt) and the outputs stay private; the
// public signals are the outputs' salted commitment, both input commitments and the
// length. Weights and bias are signed: a negative value is the field element p − |v|,
// and so are negative outputs.
template Linear(R, F, BITS) {
    signal input x[R][F];
    signal input dataSalt;
    signal input dataCommitment;
    signal input weights[F];
    signal input bias;
    signal input modelSalt;
    signal input modelCommitment;
    signal input length;
    signal input resultSalt;
    signal output resultCommitment;

    // Soundness: the records are exactly the committed chunk, and so is their count: the
    // commitment covers (length, records…), so a prover can't add or drop outputs.
    component data = ChunkCommitment(R * F + 1);
    data.values[0] <== length;
    for (var r = 0; r < R; r++) {
        for (var j = 0; j < F; j++) data.values[1 + r * F + j] <== x[r][j];
    }
    data.salt <== dataSalt;
    data.commitment === dataCommitment;

    // Soundness: the model is exactly the committed one (weights, then bias).
    component model = ChunkCommitment(F + 1);
    for (var j = 0; j < F; j++) model.values[j] <== weights[j];
    model.values[F] <== bias;
    model.salt <== modelSalt;
    model.commitment === modelCommitment;

    // Soundness: features in [0, 2^BITS), weights and bias in (−2^BITS, 2^BITS), so
    // |y| < (F + 1) · 2^(2·BITS) stays far below p/2 and signs decode unambiguously.
    component featureBits[R][F];
    for (var r = 0; r < R; r++) {
        for (var j = 0; j < F; j++) {
            featureBits[r][j] = Num2Bits(BITS);
            featureBits[r][j].in <== x[r][j];
        }
    }
    component weightBits[F + 1];
    for (var j = 0; j <= F; j++) {
        weightBits[j] = Num2Bits(BITS + 1);
        weightBits[j].in <== (j < F ? weights[j] : bias) + (1 << BITS);
    }

    // Soundness: rows after `length` are zero and output 0 (prefix mask, as in stats).
    signal inLength[R];
    var ones = 0;
    for (var r = 0; r < R; r++) {
        inLength[r] <-- r < length ? 1 : 0;
        inLength[r] * (1 - inLength[r]) === 0;
        if (r > 0) inLength[r] * (1 - inLength[r - 1]) === 0;
        for (var j = 0; j < F; j++) x[r][j] * (1 - inLength[r]) === 0;
        ones += inLength[r];
    }
    ones === length;

    signal products[R][F];
    signal y[R];
    for (var r = 0; r < R; r++) {
        var acc = bias;
        for (var j = 0; j < F; j++) {
            products[r][j] <== weights[j] * x[r][j];
            acc += products[r][j];
        }
        y[r] <== acc * inLength[r];
    }

    // Soundness: the commitment binds exactly these outputs (0 past `length`); the random
    // salt hides them from everyone but the holder of the opening.
    component result = ChunkCommitment(R);
    for (var r = 0; r < R; r++) result.values[r] <== y[r];
    result.salt <== resultSalt;
    resultCommitment <== result.commitment;
}
