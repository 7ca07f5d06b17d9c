/** The part of ffjavascript (snarkjs's curve arithmetic, WASM) that setup-honk.ts uses; it ships no types. */
declare module 'ffjavascript' {
  type Element = Uint8Array
  interface Group {
    g: Element
    toAffine(point: Element): Element
    toObject(point: Element): unknown[]
    timesFr(point: Element, scalar: Element): Element
  }
  export interface Bn128 {
    Fr: { e(value: bigint): Element }
    G1: Group
    G2: Group
    terminate(): Promise<void>
  }
  export function buildBn128(singleThread?: boolean): Promise<Bn128>
}
