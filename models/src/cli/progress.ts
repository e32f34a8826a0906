/** A one-line progress bar on stderr; plain lines when stderr is not a terminal (CI logs). */
export class ProgressBar {
  private lastLine = 0;

  constructor(private readonly label: string, private readonly total: number, private readonly width = 30) {}

  tick(done: number, info: string): void {
    const frac = Math.min(1, done / Math.max(1, this.total));
    const filled = Math.round(frac * this.width);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}] ${done}/${this.total} ${info}`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    else if (done === this.total || Date.now() - this.lastLine > 2000) {
      process.stderr.write(`${line}\n`);
      this.lastLine = Date.now();
    }
  }

  done(): void {
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
}
