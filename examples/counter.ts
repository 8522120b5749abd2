/** Example: a free-running counter with enable; `npugen gen examples/counter.ts -o out`. */
import { defineModule, UInt } from '../dsl/index.ts';

export function buildCounter(width = 8) {
  return defineModule('counter', (m) => {
    m.doc(`${width}-bit counter: count <= count + 1 (wraps) when en; rst synchronous to 0`);
    const en = m.input('en', UInt(1));
    const count = m.reg('count', UInt(width), { reset: 0n, enable: en });
    count.next(count.addWrap(1n));
    m.output('value', UInt(width)).drive(count);
  });
}

export default buildCounter();
