import * as assert from 'assert/strict';
import { Emitter } from '../../src/core/events';

describe('events', () => {
  it('fires to every listener in the order they subscribed', () => {
    const emitter = new Emitter<number>();
    const heard: string[] = [];
    emitter.event((n) => heard.push(`a${n}`));
    emitter.event((n) => heard.push(`b${n}`));
    emitter.fire(1);
    emitter.fire(2);
    assert.deepEqual(heard, ['a1', 'b1', 'a2', 'b2']);
  });

  it('a disposed listener hears nothing more; disposing twice is harmless', () => {
    const emitter = new Emitter<number>();
    const heard: number[] = [];
    const sub = emitter.event((n) => heard.push(n));
    emitter.fire(1);
    sub.dispose();
    sub.dispose();
    emitter.fire(2);
    assert.deepEqual(heard, [1]);
  });

  it('a listener that disposes another during a fire does not disturb that fire', () => {
    const emitter = new Emitter<number>();
    const heard: string[] = [];
    const subs: { dispose(): void }[] = [];
    subs.push(emitter.event(() => (heard.push('first'), subs[1].dispose())));
    subs.push(emitter.event(() => heard.push('second')));
    emitter.fire(1);
    emitter.fire(2);
    assert.deepEqual(heard, ['first', 'second', 'first']);
  });

  it('dispose() drops every listener', () => {
    const emitter = new Emitter<void>();
    let count = 0;
    emitter.event(() => count++);
    emitter.event(() => count++);
    emitter.dispose();
    emitter.fire();
    assert.equal(count, 0);
  });
});
