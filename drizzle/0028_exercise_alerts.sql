-- Exercise traffic between the participating nodes (issue #18): a participant records which State's
-- node controls the exercise, so that it follows the pause, resume and jumps of that node's clock and
-- of no other. Null on the controller's node (it is its own) and on exercises joined before.
ALTER TABLE "exercises" ADD COLUMN "controller_state" text;
