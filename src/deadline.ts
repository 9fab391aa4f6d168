/**
 * The outcome of `work`, or, if it has not settled within `ms`, what `late()` returns or throws.
 * The work is not cancelled (a promise cannot be): this bounds how long a caller waits for it,
 * e.g. an HTTP answer while the database has stopped answering.
 */
export async function settleWithin<T>(work: Promise<T>, ms: number, late: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(late());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
