/**
 * The classic sepia tone matrix (rows: output R, G, B). Each output channel weighs every input
 * channel more than the next channel down does, so for any pixel R >= G >= B after the transform;
 * tests and the chaos checker rely on that relationship to recognise a sepia rendering.
 */
export const SEPIA_MATRIX: [[number, number, number], [number, number, number], [number, number, number]] = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
];
