import { commandWord } from './protocol/framing';

/**
 * The moves around a pause. The head is lifted with a relative move (safe wherever it is), and
 * afterwards the file's own positioning modes are put back: Marlin's G90 also makes E absolute, so
 * a file printing with relative extrusion (M83) needs its M83 again.
 */
export class ParkState {
  private relative = false;
  private relativeE = false;
  parked = false;
  private liftMm = 0;

  /** Follows the modes the file sets, line by line as they are sent. */
  observe(command: string): void {
    switch (commandWord(command)) {
      case 'G90':
        this.relative = false;
        this.relativeE = false;
        break;
      case 'G91':
        this.relative = true;
        this.relativeE = true;
        break;
      case 'M82':
        this.relativeE = false;
        break;
      case 'M83':
        this.relativeE = true;
        break;
    }
  }

  parkCommands(liftMm = 5): string[] {
    this.parked = true;
    this.liftMm = liftMm;
    return ['G91', `G1 Z${liftMm} F600`, ...this.restoreModes()];
  }

  unparkCommands(): string[] {
    const lift = this.liftMm;
    this.parked = false;
    return ['G91', `G1 Z-${lift} F600`, ...this.restoreModes()];
  }

  private restoreModes(): string[] {
    if (this.relative) return ['G91'];
    return this.relativeE ? ['G90', 'M83'] : ['G90'];
  }
}
