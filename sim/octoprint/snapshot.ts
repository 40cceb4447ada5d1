import jpeg from 'jpeg-js';

const WIDTH = 320;
const HEIGHT = 240;

/**
 * A webcam frame: a bed-coloured gradient with a nozzle that moves with the print, so a snapshot
 * taken later visibly differs from an earlier one.
 */
export function snapshotJpeg(progress: number, hue: number): Buffer {
  const data = Buffer.alloc(WIDTH * HEIGHT * 4);
  const nozzleX = Math.round(40 + progress * (WIDTH - 80));
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const i = (y * WIDTH + x) * 4;
      const nozzle = Math.abs(x - nozzleX) < 10 && y > 60 && y < 100;
      const printed = y > 200 && x > 40 && x < nozzleX;
      data[i] = nozzle ? 230 : printed ? 240 : (hue + (x >> 2)) & 0xff;
      data[i + 1] = nozzle ? 230 : printed ? 120 : 60 + (y >> 2);
      data[i + 2] = nozzle ? 230 : printed ? 20 : 90;
      data[i + 3] = 255;
    }
  }
  return jpeg.encode({ data, width: WIDTH, height: HEIGHT }, 70).data;
}
