// hanoi247 exercise validate | start | join | status | end | report: joint exercises (issue #18) from
// the node's console, on its own storage. The running node's inject engine fires the injects; these
// commands act as the controller (the node's administrator) and read the score and the report.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Config } from '../../config.ts';
import { createDirectoryService } from '../../directory/directory-service.ts';
import { ISO_3166_1 } from '../../domain/directory/iso-3166.ts';
import { isReportLanguage, REPORT_LANGUAGES } from '../../domain/exercises/index.ts';
import { exerciseClockPort } from '../../exercises/exercise-clock-port.ts';
import { PDF_REPORT_LANGUAGES, renderReportHtml, renderReportPdf } from '../../exercises/exercise-report.ts';
import { createExerciseService, type ExerciseService } from '../../exercises/exercise-service.ts';
import { parseScenarioText } from '../../exercises/scenario-file.ts';
import { resolveFederationOptions } from '../../federation/federation-service.ts';
import { createRequestService, type RequestService } from '../../requests/request-service.ts';
import { systemClock } from '../../shared/clock.ts';
import { AppError, ValidationError } from '../../shared/errors.ts';
import type { Database } from '../../store/database.ts';
import { cliActor } from '../cli-actor.ts';
import { exitWith, writeErr, writeOut } from '../cli-io.ts';
import { print, table } from '../output.ts';
import { readStore, withStore } from '../store-session.ts';

const controller = () => ({ id: cliActor(), roles: ['ADMIN' as const] });

function service(database: Database, config: Config): ExerciseService {
  const directory = createDirectoryService(database, systemClock);
  let requests: RequestService | null = null;
  const exercises = createExerciseService({
    database,
    clock: systemClock,
    requests: () => requests!,
    directory,
    nodeState: config.nodeState,
    // The controller's clock changes and end are queued in the outbox; the running node's sender carries them.
    federation: { lifetimeMs: resolveFederationOptions().lifetimeMs, nudge: () => {} },
  });
  requests = createRequestService(database, systemClock, directory, {
    nodeState: config.nodeState,
    nodeSecret: config.secrets.keySecret,
    exercises: exerciseClockPort,
    // From the console nothing is sent: the running node's sender carries the outbox.
    transitionHook: async (tx, change) => void (await exercises.recordTransition(tx, change)),
  });
  return exercises;
}

function readScenario(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError([
      { field: 'FILE', message: `cannot read ${file}: ${(error as Error).message}` },
    ]);
  }
}

type View = Awaited<ReturnType<ExerciseService['get']>>;

function statusText(v: View): string {
  const head = `${v.title} (${v.id})\n${v.status}, ${v.role} on ${v.nodeState}, speed ${v.speed}; T+${v.clock.elapsedMinutes} of ${v.clock.durationMinutes} min; exercise time ${v.clock.now}`;
  const injects = table(
    ['inject', 'at (min)', 'kind', 'status'],
    v.injects.map((i) => [i.id, String(i.atMinutes), i.kind, i.status]),
  );
  const actions = table(
    ['action', 'by', 'target (min)', 'taken (min)', 'outcome'],
    v.actions.map((a) => [
      a.id,
      a.by,
      String(a.targetMinutes),
      a.takenMinutes === null ? '-' : String(a.takenMinutes),
      a.outcome,
    ]),
  );
  const s = v.score;
  const text = `${head}\n\n${injects}\n\n${actions}\n\nmet ${s.met}, late ${s.late}, missed ${s.missed}, wrong ${s.wrong}, pending ${s.pending} of ${s.total}`;
  return v.finalScores.length === 0 ? text : `${text}\n\n${finalScoresText(v)}`;
}

/** Each participating node's final score for its own State's actions (this node's once ended, and those received). */
function finalScoresText(v: View): string {
  const rows = v.finalScores.map((f) => [
    f.state,
    String(f.score.met),
    String(f.score.late),
    String(f.score.missed),
    String(f.score.wrong),
    String(f.score.pending),
    String(f.score.total),
    f.receivedAt ?? 'this node',
  ]);
  return `final scores\n${table(['state', 'met', 'late', 'missed', 'wrong', 'pending', 'total', 'received'], rows)}`;
}

/** The exercise named, or the one running (or paused) on this node. */
async function chosen(ex: ExerciseService, id?: string): Promise<string> {
  if (id) return id;
  const active = [...(await ex.list('running')).items, ...(await ex.list('paused')).items];
  if (active.length === 0)
    throw new AppError('ERR_EXERCISE_NOT_RUNNING', 409, 'No exercise runs on this node: name one by its id.');
  return active[0]!.id;
}

export function exerciseCommands(program: Command): void {
  const exercise = program
    .command('exercise')
    .description('joint exercises: validate a scenario, start or join, status, end, after-action report');
  exercise
    .command('validate')
    .description(
      "check a scenario file (YAML or JSON); every problem listed. States: the node's directory, or ISO 3166 without a node",
    )
    .argument('<file>', 'the scenario file')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const text = readScenario(file);
      let states: Set<string>;
      try {
        states = await readStore(async (database) => {
          const version = await createDirectoryService(database, systemClock).currentOrNull();
          return new Set((version?.document.parties ?? []).map((p) => p.code));
        });
      } catch {
        states = new Set(Object.keys(ISO_3166_1));
      }
      if (states.size === 0) states = new Set(Object.keys(ISO_3166_1));
      const result = parseScenarioText(text, states);
      const problems = result.ok ? [] : result.problems;
      print(Boolean(opts.json), { valid: result.ok, problems }, () =>
        result.ok
          ? `${file}: valid (${result.scenario.title})`
          : [
              `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
              ...problems.map((p) => `  - ${p.path || '/'} [${p.code}] ${p.message}`),
            ].join('\n'),
      );
      if (!result.ok) exitWith(1);
    });
  exercise
    .command('start')
    .description('start an exercise from a scenario file; this node controls it and T+0 is now')
    .argument('<file>', 'the scenario file')
    .option('--speed <n>', 'exercise minutes per real minute (72 = 72 hours in one hour)')
    .option('--paused', 'start with the clock paused at T+0')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { speed?: string; paused?: boolean; json?: boolean }) => {
      const speed = opts.speed === undefined ? undefined : Number(opts.speed);
      if (speed !== undefined && (!Number.isFinite(speed) || speed < 1 || speed > 1000))
        throw new ValidationError([{ field: '--speed', message: 'must be a number from 1 to 1000' }]);
      const text = readScenario(file);
      await withStore(async (database, config) => {
        const v = await service(database, config).start(controller(), {
          scenario: text,
          speed,
          paused: opts.paused,
        });
        print(
          Boolean(opts.json),
          v,
          () =>
            `${statusText(v)}\n\nOther participating nodes join with:\n  hanoi247 exercise join ${file} --id ${v.id} --started-at ${v.startedAt} --speed ${v.speed} --controller ${config.nodeState}`,
        );
      });
    });
  exercise
    .command('join')
    .description("join another node's exercise with the same scenario file, id, start and speed")
    .argument('<file>', 'the scenario file')
    .requiredOption('--id <id>', "the exercise id the controller's node shows")
    .requiredOption('--started-at <iso>', 'the start the controller shows (ISO 8601)')
    .option('--speed <n>', 'the speed the controller shows')
    .option(
      '--controller <state>',
      "the controller's State: its pause, resume and clock jumps then reach this node over federation",
    )
    .option('--json', 'print JSON')
    .action(
      async (
        file: string,
        opts: { id: string; startedAt: string; speed?: string; controller?: string; json?: boolean },
      ) => {
        const text = readScenario(file);
        await withStore(async (database, config) => {
          const v = await service(database, config).join(controller(), {
            exerciseId: opts.id,
            scenario: text,
            startedAt: opts.startedAt,
            speed: opts.speed === undefined ? undefined : Number(opts.speed),
            ...(opts.controller ? { controller: opts.controller } : {}),
          });
          print(Boolean(opts.json), v, () => statusText(v));
        });
      },
    );
  exercise
    .command('status')
    .description(
      "the clock, injects and live score of an exercise (the running one by default); once ended, every node's final score",
    )
    .argument('[id]', 'the exercise id')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, opts: { json?: boolean }) => {
      await readStore(async (database, config) => {
        const ex = service(database, config);
        const v = await ex.get(await chosen(ex, id));
        print(Boolean(opts.json), v, () => statusText(v));
      });
    });
  exercise
    .command('end')
    .description('end the exercise (the running one by default): scored for good, archived, read-only')
    .argument('[id]', 'the exercise id')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, opts: { json?: boolean }) => {
      await withStore(async (database, config) => {
        const ex = service(database, config);
        const v = await ex.end(controller(), await chosen(ex, id));
        print(Boolean(opts.json), v, () => statusText(v));
      });
    });
  exercise
    .command('report')
    .description('the after-action report (JSON, or PDF; Arabic and Chinese as printable HTML)')
    .argument('[id]', 'the exercise id (default: the running one, else the latest)')
    .option('--format <format>', 'json or pdf', 'json')
    .option('--lang <lang>', `one of ${REPORT_LANGUAGES.join(', ')} (default: the participant's)`)
    .option('--state <state>', "one participant State's part only")
    .option('--out <file>', 'write the report there (a PDF always needs --out)')
    .action(
      async (
        id: string | undefined,
        opts: { format: string; lang?: string; state?: string; out?: string },
      ) => {
        const problems = [];
        if (!['json', 'pdf'].includes(opts.format))
          problems.push({ field: '--format', message: 'must be json or pdf' });
        if (opts.lang !== undefined && !isReportLanguage(opts.lang))
          problems.push({
            field: '--lang',
            message: `'${opts.lang}' is not offered: one of ${REPORT_LANGUAGES.join(', ')}`,
          });
        if (opts.format === 'pdf' && !opts.out)
          problems.push({ field: '--out', message: 'a PDF is written to a file: give --out FILE' });
        if (problems.length > 0) throw new ValidationError(problems);
        await readStore(async (database, config) => {
          const ex = service(database, config);
          let target = id;
          if (!target) {
            const all = (await ex.list()).items;
            if (all.length === 0) throw new AppError('ERR_NOT_FOUND', 404, 'This node holds no exercise.');
            target = all[0]!.id;
          }
          const report = await ex.report(target, { lang: opts.lang as never, state: opts.state });
          let output: string | Uint8Array = `${JSON.stringify(report, null, 2)}\n`;
          if (opts.format === 'pdf')
            output = PDF_REPORT_LANGUAGES.includes(report.language)
              ? await renderReportPdf(report)
              : renderReportHtml(report);
          if (opts.out) {
            await writeFile(opts.out, output);
            writeErr(`after-action report (${report.language}) written to ${opts.out}\n`);
          } else writeOut(output);
        });
      },
    );
}
