pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "./chunk-commitment.circom";

// A fixed-point MLP with one hidden layer, y_r = W2 · ReLU(W1 · x_r + b1) + b2, for the
// first `length` of R records with F features each and H hidden units. As in linear.circom
// the records (a committed chunk), the model (committed with its own salt) and the outputs
// stay private; the public signals are the outputs' salted commitment, both input
// commitments and the length, so one on-chain adapter checks both kinds.
//
// Nothing is rescaled: a hidden unit keeps the scale of W1 · x, the output that of
// W2 · W1 · x, so every output is exact and the submitter divides by the scales. Signed
// values are field elements p − |v|. Ranges (each checked below, so signs decode
// unambiguously whatever the model and data committed):
//   features in [0, 2^BITS), weights in (−2^WBITS, 2^WBITS),
//   b1 in (−2^(BITS+WBITS), 2^(BITS+WBITS)), so a hidden pre-activation is in (−2^PB, 2^PB)
//   with PB = BITS + WBITS + bits(F), and b2 in (−2^OB, 2^OB), OB = PB + WBITS + bits(H),
//   so |y| < 2^(OB+1), far below p/2.
template Mlp(R, F, H, BITS, WBITS) {
    // nbits(n), from circomlib's binsum.circom: the bits of n, so n < 2^nbits(n).
    var PB = BITS + WBITS + nbits(F);
    var OB = PB + WBITS + nbits(H);

    signal input x[R][F];
    signal input dataSalt;
    signal input dataCommitment;
    signal input w1[H][F];
    signal input b1[H];
    signal input w2[H];
    signal input b2;
    signal input modelSalt;
    signal input modelCommitment;
    signal input length;
    signal input resultSalt;
    signal output resultCommitment;

    // Soundness: the records are exactly the committed chunk, and so is their count.
    component data = ChunkCommitment(R * F + 1);
    data.values[0] <== length;
    for (var r = 0; r < R; r++) {
        for (var j = 0; j < F; j++) data.values[1 + r * F + j] <== x[r][j];
    }
    data.salt <== dataSalt;
    data.commitment === dataCommitment;

    // Soundness: the model is exactly the committed one (w1 row by row, b1, w2, b2).
    component model = ChunkCommitment(H * F + 2 * H + 1);
    for (var k = 0; k < H; k++) {
        for (var j = 0; j < F; j++) model.values[k * F + j] <== w1[k][j];
        model.values[H * F + k] <== b1[k];
        model.values[H * F + H + k] <== w2[k];
    }
    model.values[H * F + 2 * H] <== b2;
    model.salt <== modelSalt;
    model.commitment === modelCommitment;

    component featureBits[R][F];
    for (var r = 0; r < R; r++) {
        for (var j = 0; j < F; j++) {
            featureBits[r][j] = Num2Bits(BITS);
            featureBits[r][j].in <== x[r][j];
        }
    }
    component w1Bits[H][F];
    component b1Bits[H];
    component w2Bits[H];
    for (var k = 0; k < H; k++) {
        for (var j = 0; j < F; j++) {
            w1Bits[k][j] = Num2Bits(WBITS + 1);
            w1Bits[k][j].in <== w1[k][j] + (1 << WBITS);
        }
        b1Bits[k] = Num2Bits(BITS + WBITS + 1);
        b1Bits[k].in <== b1[k] + (1 << (BITS + WBITS));
        w2Bits[k] = Num2Bits(WBITS + 1);
        w2Bits[k].in <== w2[k] + (1 << WBITS);
    }
    component b2Bits = Num2Bits(OB + 1);
    b2Bits.in <== b2 + (1 << OB);

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

    // ReLU: the top bit of pre + 2^PB is 1 exactly when pre ≥ 0 (the decomposition also
    // proves pre is in range, so the bit can't be forged by wrapping around p).
    signal products[R][H][F];
    signal hidden[R][H];
    signal outputs[R][H];
    signal y[R];
    component sign[R][H];
    for (var r = 0; r < R; r++) {
        var acc = b2;
        for (var k = 0; k < H; k++) {
            var pre = b1[k];
            for (var j = 0; j < F; j++) {
                products[r][k][j] <== w1[k][j] * x[r][j];
                pre += products[r][k][j];
            }
            sign[r][k] = Num2Bits(PB + 1);
            sign[r][k].in <== pre + (1 << PB);
            hidden[r][k] <== pre * sign[r][k].out[PB];
            outputs[r][k] <== w2[k] * hidden[r][k];
            acc += outputs[r][k];
        }
        y[r] <== acc * inLength[r];
    }

    component result = ChunkCommitment(R);
    for (var r = 0; r < R; r++) result.values[r] <== y[r];
    result.salt <== resultSalt;
    resultCommitment <== result.commitment;
}

