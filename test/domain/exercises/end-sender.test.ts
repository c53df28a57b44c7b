import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endRefusal } from '../../../src/domain/exercises/index.ts';

// Who may end a participant's copy over federation: the named controller, else a State that plays on its own node.
const participants = [
  { state: 'VN', simulated: false },
  { state: 'TH', simulated: false },
  { state: 'SG', simulated: false },
  { state: 'MY', simulated: true },
];

test('a participant that named its controller takes the end from that State alone', () => {
  const th = { role: 'participant' as const, nodeState: 'TH', controllerState: 'VN' };
  assert.equal(endRefusal(th, participants, 'VN'), null);
  assert.equal(endRefusal(th, participants, 'SG'), 'it follows VN, not SG');
});

test('one that named none takes it from a State playing on its own node, never from outside', () => {
  const th = { role: 'participant' as const, nodeState: 'TH', controllerState: null };
  assert.equal(endRefusal(th, participants, 'VN'), null);
  assert.equal(endRefusal(th, participants, 'SG'), null);
  assert.equal(endRefusal(th, participants, 'MY'), 'MY does not play in it on its own node');
  assert.equal(endRefusal(th, participants, 'FR'), 'FR does not play in it on its own node');
  assert.equal(endRefusal(th, participants, 'TH'), 'TH does not play in it on its own node');
});

test('the controller takes no end from another node', () => {
  const vn = { role: 'controller' as const, nodeState: 'VN', controllerState: null };
  assert.match(endRefusal(vn, participants, 'TH') ?? '', /this node controls the exercise/);
});
