/**
 * Serializes the lanes of one container that reach the same Vitable group, so they queue behind each other
 * instead of refusing each other's ledger lease (which would send records back to SQS as `group_busy`). Across
 * containers the ledger lease does this job.
 */
export class GroupLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` once every earlier task for `groupId` in this container has finished. */
  async run<T>(groupId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(groupId) ?? Promise.resolve();
    let done = () => {};
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(groupId, tail);
    try {
      await previous;
      return await task();
    } finally {
      done();
      if (this.tails.get(groupId) === tail) this.tails.delete(groupId);
    }
  }
}
