import jpeg from 'jpeg-js';

const WIDTH = 320;
const HEIGHT = 240;

type Rgb = readonly [number, number, number];

/**
 * A camera frame of the simulated 1.1 Plus: the bed seen from the front, the part growing with
 * the print progress, a progress bar, and a blinking nozzle light while heating. Real JPEG bytes.
 */
export function renderCameraFrame(progress: number, heating: boolean, at = Date.now()): Uint8Array {
  const data = Buffer.alloc(WIDTH * HEIGHT * 4);
  const fill = (x0: number, y0: number, x1: number, y1: number, [r, g, b]: Rgb): void => {
    for (let y = Math.max(0, y0); y < Math.min(HEIGHT, y1); y++) {
      for (let x = Math.max(0, x0); x < Math.min(WIDTH, x1); x++) {
        const i = (y * WIDTH + x) * 4;
        data[i] = r;
        data[i + 1] = g;
        data[i + 2] = b;
        data[i + 3] = 255;
      }
    }
  };
  fill(0, 0, WIDTH, HEIGHT, [34, 38, 46]); // enclosure
  fill(40, 180, 280, 196, [120, 124, 130]); // bed
  const p = Math.min(1, Math.max(0, progress));
  const partHeight = Math.round(110 * p);
  fill(120, 180 - partHeight, 200, 180, [230, 120, 40]); // the part, in orange PLA
  const nozzleY = 180 - partHeight - 18;
  fill(150, nozzleY, 170, nozzleY + 14, [200, 200, 205]); // nozzle
  if (heating && Math.floor(at / 500) % 2 === 0) fill(156, nozzleY + 14, 164, nozzleY + 18, [255, 60, 40]);
  fill(20, 214, 300, 226, [70, 74, 82]); // progress bar track
  fill(20, 214, 20 + Math.round(280 * p), 226, [60, 180, 110]);
  return new Uint8Array(jpeg.encode({ data, width: WIDTH, height: HEIGHT }, 70).data);
}
