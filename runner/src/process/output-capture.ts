/**
 * What is kept of a child's output: all of it up to `limit` characters; beyond that the first
 * half and the last half, and how much was cut in between. A child that prints 50 MB must not
 * make the runner hold 50 MB (or the hundreds of MB its events would take).
 */
export class OutputCapture {
  private head = '';
  private tail = '';
  private overflowed = false;
  private cutChars = 0;

  constructor(private readonly limit: number = Infinity) {}

  add(chunk: string): void {
    if (!this.overflowed) {
      if (this.head.length + chunk.length <= this.limit) {
        this.head += chunk;
        return;
      }
      this.overflowed = true;
      const all = this.head + chunk;
      const half = Math.floor(this.limit / 2);
      this.head = all.slice(0, half);
      this.tail = all.slice(half);
    } else this.tail += chunk;
    const room = this.limit - this.head.length;
    if (this.tail.length > room) {
      this.cutChars += this.tail.length - room;
      this.tail = this.tail.slice(-room);
    }
  }

  /** Characters (UTF-16 code units) left out between the head and the tail. */
  get cut(): number {
    return this.cutChars;
  }

  text(): string {
    if (this.cutChars === 0) return this.head + this.tail;
    return `${this.head}\n[… ${this.cutChars} characters of output cut …]\n${this.tail}`;
  }
}
