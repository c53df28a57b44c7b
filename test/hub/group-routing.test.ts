import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayLeaveNode, TLP_LEVELS } from '../../src/domain/tlp/index.ts';
import {
  feedbackRecipientsFor,
  feedbackRefusalOf,
  recipientsFor,
  refusalOf,
} from '../../src/hub/group-routing.ts';

const star = { hub: 'SG', nodes: ['SG', 'TH', 'VN'] };
const mesh = { hub: null, nodes: ['SG', 'TH', 'VN'] };

test('only CLEAR, GREEN and AMBER leave the node', () => {
  assert.deepEqual(
    TLP_LEVELS.filter((l) => mayLeaveNode(l)),
    ['CLEAR', 'GREEN', 'AMBER'],
  );
});

test('with a hub, members send their own alerts to the hub, which redistributes to the others', () => {
  assert.deepEqual(recipientsFor(star, 'VN', 'VN', null), ['SG']);
  assert.deepEqual(recipientsFor(star, 'SG', 'VN', 'VN'), ['TH']);
  assert.deepEqual(recipientsFor(star, 'SG', 'SG', null), ['TH', 'VN']);
  // A member never passes on another node's alert; a node outside the group sends nothing.
  assert.deepEqual(recipientsFor(star, 'TH', 'VN', 'SG'), []);
  assert.deepEqual(recipientsFor(star, 'FR', 'FR', null), []);
  assert.deepEqual(recipientsFor(mesh, 'VN', 'VN', null), ['SG', 'TH']);
  assert.deepEqual(recipientsFor(mesh, 'TH', 'VN', 'VN'), []);
});

test('a node accepts an alert from its origin, or from the hub; never a change to its own', () => {
  assert.equal(refusalOf(star, 'SG', 'VN', 'VN'), null);
  assert.equal(refusalOf(star, 'TH', 'SG', 'VN'), null);
  assert.equal(refusalOf(mesh, 'TH', 'VN', 'VN'), null);
  assert.match(refusalOf(star, 'SG', 'TH', 'VN')!, /not the hub/);
  assert.match(refusalOf(mesh, 'TH', 'SG', 'VN')!, /not the hub/);
  assert.match(refusalOf(star, 'VN', 'SG', 'VN')!, /published on this node/);
  assert.match(refusalOf(star, 'SG', 'FR', 'FR')!, /FR is not a node/);
  assert.match(refusalOf(null, 'SG', 'VN', 'VN')!, /does not share/);
});

test('feedback goes back to the publisher, through the hub when there is one', () => {
  assert.deepEqual(feedbackRecipientsFor(star, 'TH', 'VN'), ['SG']);
  assert.deepEqual(feedbackRecipientsFor(star, 'SG', 'VN'), ['VN']);
  assert.deepEqual(feedbackRecipientsFor(star, 'TH', 'SG'), ['SG']);
  assert.deepEqual(feedbackRecipientsFor(star, 'VN', 'VN'), []);
  assert.deepEqual(feedbackRecipientsFor(mesh, 'TH', 'VN'), ['VN']);
  assert.equal(feedbackRefusalOf(star, 'SG', 'TH', 'TH', 'VN'), null);
  assert.equal(feedbackRefusalOf(star, 'VN', 'SG', 'TH', 'VN'), null);
  assert.match(feedbackRefusalOf(star, 'VN', 'TH', 'SG', 'VN')!, /not the hub/);
  assert.match(feedbackRefusalOf(star, 'TH', 'SG', 'SG', 'VN')!, /not published on this node/);
  assert.match(feedbackRefusalOf(star, 'TH', 'SG', 'TH', 'VN')!, /reported on this node/);
});
