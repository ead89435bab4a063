import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { type Kysely, type QueryCreator, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import type { Group, Meetup, MeetupStatus, Photo, Roundup, Talk } from '../domain/meetup';
import {
  move as moveReminder,
  type ReminderChange,
  replan as replanReminder,
  unplanForUninstall,
  unplan as unplanReminder,
} from '../domain/reminder-lifecycle';
import type { PlannedReminder, ReminderStatus } from '../domain/reminders';
import {
  assertRoomForTalk,
  assertValidChanges,
  assertValidGroup,
  assertValidMeetup,
  assertValidTalk,
} from './bounds';
import {
  type Backend,
  backendOf,
  migrateToLatest,
  openPostgresDatabase,
  openSqliteDatabase,
} from './database';
import {
  groupFromRows,
  groupToColumns,
  type MeetupFields,
  meetupFromRows,
  meetupToColumns,
  photoToColumns,
  sponsorToColumns,
  talkFromRows,
  talkToColumns,
} from './rows';
import {
  type AskRecord,
  type DraftRecord,
  type GroupRecord,
  type InstallationRecord,
  MAX_PHOTO_FILE_BYTES,
  type MeetupChanges,
  type MeetupRecord,
  type MeetupSummary,
  type NewInstallation,
  NotFoundError,
  type PhotoFile,
  type PublicationRecord,
  type ReminderRecord,
  type Store,
  type TalkLinkRecord,
  type TalkRecord,
} from './store';
import type {
  AsksTable,
  InstallationsTable,
  PhotosTable,
  RemindersTable,
  Tables,
  TalkLinksTable,
} from './tables';

export interface StoreOptions {
  /** PostgreSQL: the most connections this process opens (default 10). */
  poolSize?: number;
}

/**
 * Open the database a URL names (PostgreSQL for `postgres://` and `postgresql://`, else a SQLite file),
 * bring its schema up to date and return the store on it.
 */
export async function openStore(databaseUrl: string, options: StoreOptions = {}): Promise<SqlStore> {
  const backend = backendOf(databaseUrl);
  let db: Kysely<Tables>;
  let dataVersion: (() => number) | undefined;
  if (backend === 'postgres') db = openPostgresDatabase(databaseUrl, options.poolSize ?? 10);
  else ({ db, dataVersion } = openSqliteDatabase(databaseUrl));
  try {
    await migrateToLatest(db, backend);
  } catch (error) {
    await db.destroy();
    throw backend === 'postgres' ? postgresError(error) : error;
  }
  return new SqlStore(db, backend, dataVersion);
}

/** What went wrong reaching PostgreSQL, in words an operator can act on; never the URL (it holds a password). */
function postgresError(error: unknown): Error {
  const err = error as { code?: string; message?: string };
  const hints: Record<string, string> = {
    ECONNREFUSED: 'nothing answers at its host and port: is PostgreSQL running, and is DATABASE_URL right?',
    ENOTFOUND: "its host name does not resolve: check DATABASE_URL's host",
    '28P01': 'the password was refused: check the user and password in DATABASE_URL',
    '28000': 'the server refused the connection for this user (pg_hba.conf)',
    '3D000': 'the database does not exist: create it first (createdb)',
    '42501': 'the user may not create tables in this database: grant it CREATE on the schema',
  };
  const hint = (err.code && hints[err.code]) ?? err.message ?? String(error);
  return new Error(`Could not open the PostgreSQL database: ${hint}`, { cause: error });
}

/**
 * The store on SQLite or PostgreSQL, through Kysely: one set of queries, with the few differences named where
 * they are (row locks, skipping locked rows). Reads that take several queries also run in a transaction, so
 * they see one snapshot.
 */
export class SqlStore implements Store {
  /** The transaction open in the current async call chain, which nested calls join. */
  private readonly active = new AsyncLocalStorage<Transaction<Tables>>();
  private claims = 0;

  constructor(
    private readonly root: Kysely<Tables>,
    readonly backend: Backend,
    /** SQLite only: see openSqliteDatabase. Without it, nothing is cached. */
    private readonly dataVersion?: () => number,
  ) {}

  /** Where queries go: the transaction in progress, else the database. */
  private get db(): Kysely<Tables> {
    return this.active.getStore() ?? this.root;
  }

  async transaction<T>(work: (store: Store) => Promise<T>): Promise<T> {
    // SQLite has one connection, and Kysely queues every query behind a running transaction: a nested call
    // that opened its own transaction, or queried outside it, would wait forever. So it joins the one open
    // (on PostgreSQL too, so that a use case is one transaction whichever the backend).
    if (this.active.getStore() !== undefined) return work(this);
    return this.root.transaction().execute((trx) => this.active.run(trx, () => work(this)));
  }

  /**
   * Reads that take several queries, as one snapshot: inside a transaction, that transaction; else a
   * read-only one of their own, which on SQLite does not take the write lock (see database.ts) and so never
   * waits for another process's writes.
   */
  private snapshot<T>(work: () => Promise<T>): Promise<T> {
    if (this.active.getStore() !== undefined) return work();
    return this.root
      .transaction()
      .setAccessMode('read only')
      .execute((trx) => this.active.run(trx, work));
  }

  // -------------------------------------------------------------------------------------------------------
  // Groups

  /**
   * Every request reads its team's group (who organises it), so on SQLite committed groups are kept in
   * memory. Only reads outside a transaction fill it, and every save empties the team's entry, so a
   * rolled-back change is never served. Another process on the same file is noticed by SQLite's data
   * version, which empties the whole cache. PostgreSQL is shared by replicas that cannot see each other's
   * memory, so there the group is always read (one round trip on a local network).
   */
  private readonly groups = new Map<string, GroupRecord | undefined>();
  private groupsVersion: number | undefined;

  async getGroup(teamId: string): Promise<GroupRecord | undefined> {
    const uncached = this.active.getStore() !== undefined || this.dataVersion === undefined;
    if (!uncached) {
      const version = this.dataVersion?.();
      if (version !== this.groupsVersion) {
        this.groups.clear();
        this.groupsVersion = version;
      }
    }
    if (!uncached && this.groups.has(teamId)) {
      const cached = this.groups.get(teamId);
      return cached && structuredClone(cached);
    }
    const group = await this.readGroup(teamId);
    if (!uncached) this.groups.set(teamId, group && structuredClone(group));
    return group;
  }

  private readGroup(teamId: string): Promise<GroupRecord | undefined> {
    return this.snapshot(async () => {
      const row = await this.db
        .selectFrom('groups')
        .selectAll()
        .where('team_id', '=', teamId)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const sponsors = await this.db
        .selectFrom('sponsors')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('group_id', '=', row.id)
        .orderBy('position')
        .execute();
      return groupFromRows(row, sponsors);
    });
  }

  saveGroup(teamId: string, group: Group): Promise<GroupRecord> {
    this.groups.delete(teamId);
    const saving = this.transaction(async () => {
      assertValidGroup(group);
      const now = timestamp();
      const columns = groupToColumns(group);
      // One group per team: replacing keeps the group's id, so its meetups stay attached.
      const { id } = await this.db
        .insertInto('groups')
        .values({ id: randomUUID(), team_id: teamId, ...columns, created_at: now, updated_at: now })
        .onConflict((oc) => oc.column('team_id').doUpdateSet({ ...columns, updated_at: now }))
        .returning('id')
        .executeTakeFirstOrThrow();

      await this.db.deleteFrom('sponsors').where('team_id', '=', teamId).where('group_id', '=', id).execute();
      if (group.sponsors.length > 0) {
        await this.db
          .insertInto('sponsors')
          .values(
            group.sponsors.map((sponsor, position) => ({
              id: randomUUID(),
              team_id: teamId,
              group_id: id,
              position,
              ...sponsorToColumns(sponsor),
            })),
          )
          .execute();
      }
      return required(await this.getGroup(teamId), 'The group just saved');
    });
    // A read that was queued before this save may have filled the entry with the old group meanwhile.
    return saving.finally(() => this.groups.delete(teamId));
  }

  // -------------------------------------------------------------------------------------------------------
  // Meetups

  createMeetup(teamId: string, meetup: Meetup): Promise<MeetupRecord> {
    return this.transaction(async () => {
      assertValidMeetup(meetup);
      const group = await this.db
        .selectFrom('groups')
        .select('id')
        .where('team_id', '=', teamId)
        .executeTakeFirst();
      if (group === undefined) throw new NotFoundError("The team's group");

      // Ids are always the store's own: one carried in (from a JSON file, say) could collide with another team's.
      const id = randomUUID();
      const now = timestamp();
      await this.db
        .insertInto('meetups')
        .values({
          id,
          team_id: teamId,
          group_id: group.id,
          ...meetupToColumns(meetup),
          created_at: now,
          updated_at: now,
        })
        .execute();
      await this.insertMeetupPhotos(teamId, id, meetup, now);
      for (const [position, talk] of meetup.talks.entries()) {
        await this.insertTalk(teamId, id, talk, position, now);
      }
      return required(await this.getMeetup(teamId, id), 'The meetup just created');
    });
  }

  getMeetup(teamId: string, meetupId: string, o: { lock?: boolean } = {}): Promise<MeetupRecord | undefined> {
    return this.snapshot(async () => {
      const row = await this.db
        .selectFrom('meetups')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('id', '=', meetupId)
        .$if(o.lock === true && this.backend === 'postgres', (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const talks = await this.db
        .selectFrom('talks')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('meetup_id', '=', meetupId)
        .orderBy('position')
        .execute();
      const photos = await this.db
        .selectFrom('photos')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('meetup_id', '=', meetupId)
        .orderBy('position')
        .execute();
      return meetupFromRows(row, talks, photos);
    });
  }

  currentMeetup(teamId: string): Promise<MeetupRecord | undefined> {
    return this.snapshot(async () => {
      const latest = (unpublishedOnly: boolean) =>
        this.db
          .selectFrom('meetups')
          .select('id')
          .where('team_id', '=', teamId)
          .$if(unpublishedOnly, (qb) => qb.where('status', '!=', 'published'))
          .orderBy('date', 'desc')
          .orderBy('start_time', 'desc')
          .orderBy('created_at', 'desc')
          .limit(1)
          .executeTakeFirst();
      const row = (await latest(true)) ?? (await latest(false));
      return row === undefined ? undefined : this.getMeetup(teamId, row.id);
    });
  }

  /** Newest first. */
  async listMeetups(teamId: string): Promise<MeetupSummary[]> {
    const rows = await this.db
      .selectFrom('meetups as m')
      .select((eb) => [
        'm.id',
        'm.date',
        'm.status',
        eb
          .selectFrom('talks as t')
          .select(eb.fn.countAll().as('n'))
          .whereRef('t.team_id', '=', 'm.team_id')
          .whereRef('t.meetup_id', '=', 'm.id')
          .as('talk_count'),
      ])
      .where('m.team_id', '=', teamId)
      .orderBy('m.date', 'desc')
      .orderBy('m.start_time', 'desc')
      .orderBy('m.created_at', 'desc')
      .execute();
    // Counts come back as numbers from SQLite but as strings from Postgres.
    return rows.map((r) => ({
      id: r.id,
      date: r.date,
      status: r.status,
      talkCount: Number(r.talk_count ?? 0),
    }));
  }

  updateMeetup(teamId: string, meetupId: string, changes: MeetupChanges): Promise<MeetupRecord> {
    return this.transaction(async () => {
      assertValidChanges(changes);
      await this.requireMeetup(teamId, meetupId, { lock: true });
      const current = await this.getMeetup(teamId, meetupId);
      if (current === undefined) throw new NotFoundError(`Meetup ${meetupId}`);
      const meetup = applyChanges(current, changes);
      const now = timestamp();
      await this.db
        .updateTable('meetups')
        .set({ ...meetupToColumns(meetup), updated_at: now })
        .where('team_id', '=', teamId)
        .where('id', '=', meetupId)
        .execute();
      if (Object.hasOwn(changes, 'headerPhoto') || Object.hasOwn(changes, 'photos')) {
        await this.db
          .deleteFrom('photos')
          .where('team_id', '=', teamId)
          .where('meetup_id', '=', meetupId)
          .where('talk_id', 'is', null)
          .execute();
        await this.insertMeetupPhotos(teamId, meetupId, meetup, now);
      }
      return required(await this.getMeetup(teamId, meetupId), 'The meetup just updated');
    });
  }

  changeMeetupStatus(
    teamId: string,
    meetupId: string,
    from: readonly MeetupStatus[],
    to: MeetupStatus,
  ): Promise<boolean> {
    return this.transaction(async () => {
      if (from.length > 0) {
        // One conditional UPDATE: the check and the write cannot be split by another action, even in
        // another process on the same file.
        const { numUpdatedRows } = await this.db
          .updateTable('meetups')
          .set({ status: to, updated_at: timestamp() })
          .where('team_id', '=', teamId)
          .where('id', '=', meetupId)
          .where('status', 'in', [...from])
          .executeTakeFirst();
        if (numUpdatedRows > 0n) return true;
      }
      await this.requireMeetup(teamId, meetupId);
      return false;
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Talks

  saveTalk(teamId: string, meetupId: string, talk: Talk): Promise<TalkRecord> {
    return this.transaction(async () => {
      assertValidTalk(talk);
      const now = timestamp();
      let talkId: string;
      // The meetup is locked first, so that two saves at once (on two replicas) count and number its talks
      // one after the other.
      await this.requireMeetup(teamId, meetupId, { lock: true });
      if (talk.id === undefined) {
        const { last, count } = await this.db
          .selectFrom('talks')
          .select((eb) => [eb.fn.max('position').as('last'), eb.fn.countAll().as('count')])
          .where('team_id', '=', teamId)
          .where('meetup_id', '=', meetupId)
          .executeTakeFirstOrThrow();
        assertRoomForTalk(Number(count));
        talkId = await this.insertTalk(teamId, meetupId, talk, (last ?? -1) + 1, now);
      } else {
        talkId = talk.id;
        const { numUpdatedRows } = await this.db
          .updateTable('talks')
          .set({ ...talkToColumns(talk), updated_at: now })
          .where('team_id', '=', teamId)
          .where('meetup_id', '=', meetupId)
          .where('id', '=', talkId)
          .executeTakeFirst();
        if (numUpdatedRows === 0n) throw new NotFoundError(`Talk ${talkId}`);
        const before = await this.db
          .selectFrom('photos')
          .select(['slack_file_id', 'stored_file', 'mime_type', 'bytes'])
          .where('team_id', '=', teamId)
          .where('talk_id', '=', talkId)
          .executeTakeFirst();
        talk = { ...talk, photo: keepStored(talk.photo, before) };
        await this.db
          .deleteFrom('photos')
          .where('team_id', '=', teamId)
          .where('talk_id', '=', talkId)
          .execute();
        if (talk.photo !== undefined) await this.insertPhotos(teamId, meetupId, talkId, [talk.photo], now);
      }
      await this.touchMeetup(teamId, meetupId, now);
      // What is written reads back deep-equal (the store's round-trip tests hold it to that).
      return { ...talk, id: talkId };
    });
  }

  deleteTalk(teamId: string, meetupId: string, talkId: string): Promise<void> {
    return this.transaction(async () => {
      await this.requireMeetup(teamId, meetupId, { lock: true });
      // Its photo goes with it (ON DELETE CASCADE).
      const { numDeletedRows } = await this.db
        .deleteFrom('talks')
        .where('team_id', '=', teamId)
        .where('meetup_id', '=', meetupId)
        .where('id', '=', talkId)
        .executeTakeFirst();
      if (numDeletedRows === 0n) throw new NotFoundError(`Talk ${talkId}`);
      await this.renumberTalks(teamId, meetupId, await this.talkIds(teamId, meetupId));
      await this.touchMeetup(teamId, meetupId, timestamp());
    });
  }

  /** A `toIndex` past either end moves the talk to that end. */
  moveTalk(teamId: string, meetupId: string, talkId: string, toIndex: number): Promise<void> {
    if (!Number.isInteger(toIndex)) {
      return Promise.reject(new RangeError(`A talk's position must be a whole number, not ${toIndex}`));
    }
    return this.transaction(async () => {
      await this.requireMeetup(teamId, meetupId, { lock: true });
      const ids = await this.talkIds(teamId, meetupId);
      const from = ids.indexOf(talkId);
      if (from === -1) throw new NotFoundError(`Talk ${talkId}`);
      ids.splice(from, 1);
      ids.splice(Math.min(Math.max(toIndex, 0), ids.length), 0, talkId);
      await this.renumberTalks(teamId, meetupId, ids);
      await this.touchMeetup(teamId, meetupId, timestamp());
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Together, and housekeeping

  getRoundup(teamId: string, meetupId: string): Promise<Roundup | undefined> {
    return this.snapshot(async () => {
      const group = await this.getGroup(teamId);
      const meetup = await this.getMeetup(teamId, meetupId);
      if (group === undefined || meetup === undefined) return undefined;
      // roundupSchema is strict: keep only the model's fields (the meetup's and talks' ids are among them).
      const { id: _groupId, teamId: _teamId, ...groupFields } = group;
      const {
        teamId: _meetupTeamId,
        groupId: _meetupGroupId,
        createdAt: _c,
        updatedAt: _u,
        ...meetupFields
      } = meetup;
      return { group: groupFields, meetup: meetupFields };
    });
  }

  // -------------------------------------------------------------------------------------------------------
  // Asks, drafts and deliveries

  saveAsk(
    teamId: string,
    ask: Pick<AskRecord, 'meetupId' | 'talkId' | 'userId' | 'askedBy'> & { askedAt?: string },
  ): Promise<AskRecord> {
    return this.transaction(async () => {
      await this.requireMeetup(teamId, ask.meetupId);
      if (!(await this.getTalk(teamId, ask.meetupId, ask.talkId))) throw new NotFoundError('The talk');
      const now = ask.askedAt ?? timestamp();
      await this.db
        .insertInto('asks')
        .values({
          id: randomUUID(),
          team_id: teamId,
          meetup_id: ask.meetupId,
          talk_id: ask.talkId,
          user_id: ask.userId,
          asked_by: ask.askedBy,
          status: 'waiting',
          asked_at: now,
          answered_at: null,
        })
        .onConflict((oc) =>
          oc
            .columns(['team_id', 'talk_id', 'user_id'])
            .doUpdateSet({ status: 'waiting', asked_by: ask.askedBy, asked_at: now, answered_at: null }),
        )
        .execute();
      return required(await this.findAsk(teamId, ask.talkId, ask.userId), 'The ask just saved');
    });
  }

  async listAsks(teamId: string, meetupId: string): Promise<AskRecord[]> {
    const rows = await this.db
      .selectFrom('asks')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('meetup_id', '=', meetupId)
      .orderBy('asked_at')
      .execute();
    return rows.map(askFromRow);
  }

  async findAsk(teamId: string, talkId: string, userId: string): Promise<AskRecord | undefined> {
    const row = await this.db
      .selectFrom('asks')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('talk_id', '=', talkId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && askFromRow(row);
  }

  async markAskAnswered(teamId: string, talkId: string, userId: string): Promise<void> {
    await this.db
      .updateTable('asks')
      .set({ status: 'answered', answered_at: timestamp() })
      .where('team_id', '=', teamId)
      .where('talk_id', '=', talkId)
      .where('user_id', '=', userId)
      .execute();
  }

  async markTalkAsksAnswered(teamId: string, talkId: string): Promise<number> {
    const result = await this.db
      .updateTable('asks')
      .set({ status: 'answered', answered_at: timestamp() })
      .where('team_id', '=', teamId)
      .where('talk_id', '=', talkId)
      .where('status', '=', 'waiting')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  saveTalkLink(teamId: string, link: Omit<TalkLinkRecord, 'revokedAt' | 'usedAt'>): Promise<TalkLinkRecord> {
    return this.transaction(async () => {
      await this.requireMeetup(teamId, link.meetupId);
      if (!(await this.getTalk(teamId, link.meetupId, link.talkId))) throw new NotFoundError('The talk');
      await this.db
        .insertInto('talk_links')
        .values({
          id: link.id,
          team_id: teamId,
          meetup_id: link.meetupId,
          talk_id: link.talkId,
          created_by: link.createdBy,
          created_at: link.createdAt,
          expires_at: link.expiresAt,
          revoked_at: null,
          used_at: null,
        })
        .execute();
      return required(await this.getTalkLink(teamId, link.id), 'The link just saved');
    });
  }

  async getTalkLink(teamId: string, linkId: string): Promise<TalkLinkRecord | undefined> {
    const row = await this.db
      .selectFrom('talk_links')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('id', '=', linkId)
      .executeTakeFirst();
    return row && talkLinkFromRow(row);
  }

  async revokeTalkLinks(teamId: string, talkId: string, at: string = timestamp()): Promise<number> {
    const result = await this.db
      .updateTable('talk_links')
      .set({ revoked_at: at })
      .where('team_id', '=', teamId)
      .where('talk_id', '=', talkId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async useTalkLink(teamId: string, linkId: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('talk_links')
      .set({ used_at: now })
      .where('team_id', '=', teamId)
      .where('id', '=', linkId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async getDraft(teamId: string, meetupId: string): Promise<DraftRecord | undefined> {
    const row = await this.db
      .selectFrom('drafts')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('meetup_id', '=', meetupId)
      .executeTakeFirst();
    return (
      row && {
        meetupId: row.meetup_id,
        channelId: row.channel_id,
        messageTs: row.message_ts,
        thread: JSON.parse(row.thread_items) as DraftRecord['thread'],
        version: row.version,
        updatedAt: row.updated_at,
      }
    );
  }

  saveDraft(
    teamId: string,
    draft: DraftRecord,
    replaces: number | undefined,
  ): Promise<DraftRecord | undefined> {
    return this.transaction(async () => {
      await this.requireMeetup(teamId, draft.meetupId);
      const columns = {
        channel_id: draft.channelId,
        message_ts: draft.messageTs,
        thread_items: JSON.stringify(draft.thread),
        version: draft.version,
        updated_at: timestamp(),
      };
      // Compare and set: a first draft only while there is none, a re-draft only over the version it read.
      const written =
        replaces === undefined
          ? (
              await this.db
                .insertInto('drafts')
                .values({ meetup_id: draft.meetupId, team_id: teamId, ...columns })
                .onConflict((oc) => oc.column('meetup_id').doNothing())
                .executeTakeFirst()
            ).numInsertedOrUpdatedRows
          : (
              await this.db
                .updateTable('drafts')
                .set(columns)
                .where('team_id', '=', teamId)
                .where('meetup_id', '=', draft.meetupId)
                .where('version', '=', replaces)
                .executeTakeFirst()
            ).numUpdatedRows;
      if (!written) return undefined;
      return required(await this.getDraft(teamId, draft.meetupId), 'The draft just saved');
    });
  }

  async getPublication(teamId: string, meetupId: string): Promise<PublicationRecord | undefined> {
    const row = await this.db
      .selectFrom('publications')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('meetup_id', '=', meetupId)
      .executeTakeFirst();
    return row && { ...(JSON.parse(row.state) as PublicationRecord), meetupId, updatedAt: row.updated_at };
  }

  savePublication(teamId: string, publication: PublicationRecord): Promise<PublicationRecord> {
    return this.transaction(async () => {
      await this.requireMeetup(teamId, publication.meetupId);
      const { updatedAt: _u, ...state } = publication;
      const columns = { state: JSON.stringify(state), updated_at: timestamp() };
      await this.db
        .insertInto('publications')
        .values({ meetup_id: publication.meetupId, team_id: teamId, ...columns })
        .onConflict((oc) => oc.column('meetup_id').doUpdateSet(columns))
        .execute();
      return required(await this.getPublication(teamId, publication.meetupId), 'The publication just saved');
    });
  }

  async claimDelivery(teamId: string, key: string): Promise<boolean> {
    // Slack redelivers within minutes; a day of keys is plenty, so older ones are pruned now and then.
    if (++this.claims % 500 === 0) {
      const dayAgo = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
      await this.db.deleteFrom('deliveries').where('received_at', '<', dayAgo).execute();
    }
    const result = await this.db
      .insertInto('deliveries')
      .values({ key: `${teamId}:${key}`, team_id: teamId, received_at: timestamp() })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async keepAnswer(teamId: string, key: string, answer: string): Promise<void> {
    await this.db
      .updateTable('deliveries')
      .set({ answer })
      .where('key', '=', `${teamId}:${key}`)
      .where('team_id', '=', teamId)
      .execute();
  }

  async keptAnswer(teamId: string, key: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('deliveries')
      .select('answer')
      .where('key', '=', `${teamId}:${key}`)
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    return row?.answer ?? undefined;
  }

  // -------------------------------------------------------------------------------------------------------
  // Reminders

  syncReminders(
    teamId: string,
    meetupId: string,
    family: string,
    planned: readonly PlannedReminder[],
  ): Promise<void> {
    return this.transaction(async () => {
      await this.requireMeetup(teamId, meetupId, { lock: true });
      const now = timestamp();
      const existing = await this.db
        .selectFrom('reminders')
        .selectAll()
        .where('team_id', '=', teamId)
        .where('meetup_id', '=', meetupId)
        .where('kind', 'like', `${family}%`)
        .execute();
      const identity = (r: { kind: string; channel: string; event_date?: string; eventDate?: string }) =>
        `${r.kind}|${r.channel}|${r.event_date ?? r.eventDate}`;
      const byIdentity = new Map(existing.map((row) => [identity(row), row]));
      const wanted = new Set(planned.map((p) => identity(p)));
      for (const p of planned) {
        const row = byIdentity.get(identity(p));
        if (!row) {
          await this.db
            .insertInto('reminders')
            .values({
              id: randomUUID(),
              team_id: teamId,
              meetup_id: meetupId,
              kind: p.kind,
              channel: p.channel,
              event_date: p.eventDate,
              fire_at: p.fireAt,
              status: 'pending',
              attempts: 0,
              claimed_at: null,
              claim_token: null,
              message_ts: null,
              posted_channel: null,
              last_error: null,
              created_at: now,
              updated_at: now,
            })
            .execute();
        } else if (row.status === 'pending' && row.fire_at !== p.fireAt) {
          await this.changeReminder(row.id, moveReminder(p.fireAt));
        } else if (row.status === 'unplanned') {
          // Planned again (a meetup brought back, a channel added back): it waits to be sent once more.
          await this.changeReminder(row.id, replanReminder(p.fireAt));
        }
        // A cancelled one stays cancelled: a person decided, and only a person takes it back.
      }
      for (const row of existing) {
        if (row.status === 'pending' && !wanted.has(identity(row)))
          await this.changeReminder(row.id, unplanReminder());
      }
    });
  }

  async listReminders(
    teamId: string,
    filter: { meetupId?: string; statuses?: ReminderStatus[] } = {},
  ): Promise<ReminderRecord[]> {
    let query = this.db.selectFrom('reminders').selectAll().where('team_id', '=', teamId);
    if (filter.meetupId) query = query.where('meetup_id', '=', filter.meetupId);
    if (filter.statuses) query = query.where('status', 'in', filter.statuses);
    const rows = await query.orderBy('fire_at').orderBy('channel').execute();
    return rows.map(reminderFromRow);
  }

  async getReminder(reminderId: string): Promise<ReminderRecord | undefined> {
    const row = await this.db
      .selectFrom('reminders')
      .selectAll()
      .where('id', '=', reminderId)
      .executeTakeFirst();
    return row && reminderFromRow(row);
  }

  async changeReminder(reminderId: string, change: ReminderChange, teamId?: string): Promise<boolean> {
    let query = this.reminderUpdate(change).where('id', '=', reminderId);
    if (teamId !== undefined) query = query.where('team_id', '=', teamId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async claimDueReminders(
    now: string,
    limit: number,
    change: ReminderChange,
    except: readonly string[] = [],
  ): Promise<ReminderRecord[]> {
    const rows = await this.updateChosen(
      change,
      this.db
        .selectFrom('reminders')
        .select('id')
        .where('status', '=', 'pending')
        .where('fire_at', '<=', now)
        .$if(except.length > 0, (qb) => qb.where('id', 'not in', [...except]))
        .orderBy('fire_at')
        .limit(limit),
    );
    return rows.map(reminderFromRow).sort((a, b) => a.fireAt.localeCompare(b.fireAt));
  }

  async takeOverAbandoned(
    claimedBefore: string,
    limit: number,
    change: ReminderChange,
  ): Promise<ReminderRecord[]> {
    const rows = await this.updateChosen(
      change,
      this.db
        .selectFrom('reminders')
        .select('id')
        .where('status', '=', 'sending')
        .where('claimed_at', '<', claimedBefore)
        .orderBy('claimed_at')
        .limit(limit),
    );
    return rows.map(reminderFromRow);
  }

  /**
   * Apply `change` to the reminders `chosen` selects, in one statement, and return them as changed.
   * The rows are chosen once, in a CTE: as a plain `id in (select ... limit n)`, PostgreSQL may run the
   * subquery again for each row it updates and so change more than n. On PostgreSQL the chosen rows are
   * locked, and rows another replica has locked are passed over rather than waited for (`FOR UPDATE SKIP
   * LOCKED`), so replicas ticking at once share out the due reminders instead of queueing on the same ones.
   * SQLite has one writer at a time; the update's own conditions decide there.
   */
  private updateChosen(
    change: ReminderChange,
    chosen: SelectQueryBuilder<Tables, 'reminders', { id: string }>,
  ): Promise<RemindersTable[]> {
    const locked = this.backend === 'postgres' ? chosen.forUpdate().skipLocked() : chosen;
    // The CTE's name is not one of the tables, so the statement refers to it in SQL of its own.
    // MATERIALIZED: computed once, whatever the planner would prefer.
    const withChosen = this.db.with(
      (cte) => cte('chosen').materialized(),
      () => locked,
    ) as unknown as QueryCreator<Tables>;
    return this.reminderUpdate(change, withChosen, { byId: true })
      .where(sql<boolean>`id in (select id from chosen)`)
      .returningAll()
      .execute();
  }

  /** The UPDATE a lifecycle change makes, with its conditions (state, owner, lease); callers add which rows. */
  private reminderUpdate(change: ReminderChange, from: QueryCreator<Tables> = this.db, o = { byId: false }) {
    const { set } = change;
    let query = from
      .updateTable('reminders')
      .set((eb) => ({
        status: set.status,
        updated_at: timestamp(),
        ...(set.fireAt !== undefined ? { fire_at: set.fireAt } : {}),
        ...(set.claimToken !== undefined ? { claim_token: set.claimToken } : {}),
        ...(set.claimedAt !== undefined ? { claimed_at: set.claimedAt } : {}),
        ...(set.messageTs !== undefined ? { message_ts: set.messageTs } : {}),
        ...(set.postedChannel !== undefined ? { posted_channel: set.postedChannel } : {}),
        ...(set.lastError !== undefined ? { last_error: set.lastError } : {}),
        ...(set.countAttempt ? { attempts: eb('attempts', '+', 1) } : {}),
      }))
      // Rows chosen by id are found by their key. On SQLite a plain `status` here would make the planner
      // walk the status index instead, reading every pending row (100,000 of them) for one claim; `+status`
      // is the same value, with no index to tempt it.
      .where(o.byId && this.backend === 'sqlite' ? sql<string>`+status` : 'status', 'in', [...change.from]);
    if (change.claimToken !== undefined) query = query.where('claim_token', '=', change.claimToken);
    if (change.claimedBefore !== undefined) query = query.where('claimed_at', '<', change.claimedBefore);
    return query;
  }

  async databaseTime(): Promise<Date> {
    if (this.backend === 'sqlite') return new Date();
    const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(this.db);
    return new Date(required(rows[0], 'The database clock').now);
  }

  // -------------------------------------------------------------------------------------------------------
  // Photo files

  async putPhotoFile(teamId: string, file: PhotoFile): Promise<void> {
    if (file.content.length > MAX_PHOTO_FILE_BYTES) {
      throw new RangeError(`A photo file may hold at most ${MAX_PHOTO_FILE_BYTES} bytes`);
    }
    await this.transaction(async () => {
      await this.requireMeetup(teamId, file.meetupId);
      // Named by content: the same name is the same bytes, so a second put has nothing to change.
      await this.db
        .insertInto('photo_files')
        .values({
          team_id: teamId,
          meetup_id: file.meetupId,
          name: file.name,
          mime_type: file.mimeType,
          size: file.content.length,
          content: file.content,
          created_at: timestamp(),
        })
        .onConflict((oc) => oc.columns(['team_id', 'meetup_id', 'name']).doNothing())
        .execute();
    });
  }

  async getPhotoFile(teamId: string, meetupId: string, name: string): Promise<PhotoFile | undefined> {
    const row = await this.db
      .selectFrom('photo_files')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('meetup_id', '=', meetupId)
      .where('name', '=', name)
      .executeTakeFirst();
    return (
      row && {
        meetupId: row.meetup_id,
        name: row.name,
        mimeType: row.mime_type,
        content: Buffer.from(row.content),
      }
    );
  }

  async saveInstallation(installation: NewInstallation): Promise<InstallationRecord> {
    const now = timestamp();
    const columns = {
      enterprise_id: installation.enterpriseId ?? null,
      team_name: installation.teamName ?? null,
      app_id: installation.appId ?? null,
      bot_token: installation.botToken,
      bot_id: installation.botId ?? null,
      bot_user_id: installation.botUserId ?? null,
      bot_scopes: installation.botScopes.join(','),
      installer_user_id: installation.installerUserId,
      updated_at: now,
      uninstalled_at: null,
    };
    const row = await this.db
      .insertInto('installations')
      .values({ team_id: installation.teamId, installed_at: now, ...columns })
      .onConflict((oc) => oc.column('team_id').doUpdateSet(columns))
      .returningAll()
      .executeTakeFirstOrThrow();
    return installationFromRow(row);
  }

  async getInstallation(teamId: string): Promise<InstallationRecord | undefined> {
    const row = await this.db
      .selectFrom('installations')
      .selectAll()
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    return row && installationFromRow(row);
  }

  uninstall(teamId: string): Promise<number> {
    return this.transaction(async () => {
      const now = timestamp();
      await this.db
        .updateTable('installations')
        .set({ bot_token: null, updated_at: now, uninstalled_at: now })
        .where('team_id', '=', teamId)
        .execute();
      const stopped = await this.reminderUpdate(unplanForUninstall())
        .where('team_id', '=', teamId)
        .executeTakeFirst();
      return Number(stopped.numUpdatedRows);
    });
  }

  forgetTeam(teamId: string): Promise<void> {
    return this.transaction(async () => {
      // Children before the rows they reference.
      const tables = [
        'photo_files',
        'photos',
        'asks',
        'talk_links',
        'talks',
        'drafts',
        'publications',
        'reminders',
        'deliveries',
        'meetups',
        'sponsors',
        'groups',
        'installations',
      ] as const;
      for (const table of tables) await this.db.deleteFrom(table).where('team_id', '=', teamId).execute();
      this.groups.delete(teamId);
    });
  }

  async countReminderOutcomes(since: string): Promise<{ failed: number; skipped: number }> {
    const rows = await this.db
      .selectFrom('reminders')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('count')])
      .where('status', 'in', ['failed', 'skipped'])
      .where('updated_at', '>=', since)
      .groupBy('status')
      .execute();
    const count = (status: string) => Number(rows.find((r) => r.status === status)?.count ?? 0);
    return { failed: count('failed'), skipped: count('skipped') };
  }

  async ping(): Promise<boolean> {
    try {
      await sql`select 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.root.destroy();
  }

  // -------------------------------------------------------------------------------------------------------
  // Helpers (called inside a transaction)

  /**
   * Throws NotFoundError unless the meetup exists. With `lock`, on PostgreSQL, its row stays locked until
   * the transaction ends, so that writes to one meetup from several replicas take turns (SQLite has one
   * writer at a time already).
   */
  private async requireMeetup(teamId: string, meetupId: string, o: { lock?: boolean } = {}): Promise<void> {
    const row = await this.db
      .selectFrom('meetups')
      .select('id')
      .where('team_id', '=', teamId)
      .where('id', '=', meetupId)
      .$if(o.lock === true && this.backend === 'postgres', (qb) => qb.forUpdate())
      .executeTakeFirst();
    if (row === undefined) throw new NotFoundError(`Meetup ${meetupId}`);
  }

  async getTalk(teamId: string, meetupId: string, talkId: string): Promise<TalkRecord | undefined> {
    const row = await this.db
      .selectFrom('talks')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('meetup_id', '=', meetupId)
      .where('id', '=', talkId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const photo = await this.db
      .selectFrom('photos')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('talk_id', '=', talkId)
      .executeTakeFirst();
    return talkFromRows(row, photo);
  }

  private async talkIds(teamId: string, meetupId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('talks')
      .select('id')
      .where('team_id', '=', teamId)
      .where('meetup_id', '=', meetupId)
      .orderBy('position')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Store `ids` at positions 0, 1, 2 ... in that order. */
  private async renumberTalks(teamId: string, meetupId: string, ids: string[]): Promise<void> {
    for (const [position, id] of ids.entries()) {
      await this.db
        .updateTable('talks')
        .set({ position })
        .where('team_id', '=', teamId)
        .where('meetup_id', '=', meetupId)
        .where('id', '=', id)
        .execute();
    }
  }

  /** Insert a talk (under a new id) and its photo; returns the id. */
  private async insertTalk(teamId: string, meetupId: string, talk: Talk, position: number, now: string) {
    const id = randomUUID();
    await this.db
      .insertInto('talks')
      .values({
        id,
        team_id: teamId,
        meetup_id: meetupId,
        position,
        ...talkToColumns(talk),
        created_at: now,
        updated_at: now,
      })
      .execute();
    if (talk.photo !== undefined) await this.insertPhotos(teamId, meetupId, id, [talk.photo], now);
    return id;
  }

  /** The header photo and the event photos (not the talks'). */
  private async insertMeetupPhotos(teamId: string, meetupId: string, meetup: MeetupFields, now: string) {
    if (meetup.headerPhoto !== undefined) {
      await this.insertPhotos(teamId, meetupId, null, [meetup.headerPhoto], now);
    }
    await this.insertPhotos(teamId, meetupId, null, meetup.photos, now);
  }

  /** Insert photos of one kind, in order. */
  private async insertPhotos(
    teamId: string,
    meetupId: string,
    talkId: string | null,
    photos: Photo[],
    now: string,
  ) {
    if (photos.length === 0) return;
    await this.db
      .insertInto('photos')
      .values(
        photos.map((photo, position) => ({
          id: randomUUID(),
          team_id: teamId,
          meetup_id: meetupId,
          talk_id: talkId,
          position,
          ...photoToColumns(photo),
          created_at: now,
        })),
      )
      .execute();
  }

  /** A change to a talk is a change to its meetup. */
  private async touchMeetup(teamId: string, meetupId: string, now: string): Promise<void> {
    await this.db
      .updateTable('meetups')
      .set({ updated_at: now })
      .where('team_id', '=', teamId)
      .where('id', '=', meetupId)
      .execute();
  }
}

/**
 * The meetup with `changes` applied. A key given with the value `undefined` clears that optional field
 * (`{ video: undefined }` removes the video); required fields cannot be cleared and keep their value.
 */
function applyChanges(current: MeetupRecord, changes: MeetupChanges): MeetupFields {
  const merged: MeetupFields = { ...current, ...changes };
  return {
    ...merged,
    date: changes.date ?? current.date,
    startTime: changes.startTime ?? current.startTime,
    status: changes.status ?? current.status,
    sponsors: changes.sponsors ?? current.sponsors,
    extras: changes.extras ?? current.extras,
    photos: changes.photos ?? current.photos,
    sentences: changes.sentences ?? current.sentences,
  };
}

/**
 * The talk's photo to save, keeping the stored file of the same Slack upload: a form read before the photo
 * was downloaded (here, or by another replica) carries the upload without its file, and saving that must
 * not undo the download.
 */
function keepStored(
  photo: Talk['photo'],
  before: Pick<PhotosTable, 'slack_file_id' | 'stored_file' | 'mime_type' | 'bytes'> | undefined,
): Talk['photo'] {
  if (!photo?.slackFile || photo.stored || !before?.stored_file || before.mime_type === null) return photo;
  if (before.slack_file_id !== photo.slackFile.id) return photo;
  const stored = { file: before.stored_file, mimeType: before.mime_type };
  return { ...photo, stored: before.bytes === null ? stored : { ...stored, bytes: before.bytes } };
}

/** UTC, ISO 8601. */
function askFromRow(row: AsksTable): AskRecord {
  return {
    id: row.id,
    meetupId: row.meetup_id,
    talkId: row.talk_id,
    userId: row.user_id,
    askedBy: row.asked_by,
    status: row.status,
    askedAt: row.asked_at,
    ...(row.answered_at ? { answeredAt: row.answered_at } : {}),
  };
}

function talkLinkFromRow(row: TalkLinksTable): TalkLinkRecord {
  return {
    id: row.id,
    meetupId: row.meetup_id,
    talkId: row.talk_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.revoked_at ? { revokedAt: row.revoked_at } : {}),
    ...(row.used_at ? { usedAt: row.used_at } : {}),
  };
}

function reminderFromRow(row: RemindersTable): ReminderRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    meetupId: row.meetup_id,
    kind: row.kind,
    channel: row.channel,
    eventDate: row.event_date,
    fireAt: row.fire_at,
    status: row.status,
    attempts: row.attempts,
    ...(row.claimed_at ? { claimedAt: row.claimed_at } : {}),
    ...(row.claim_token ? { claimToken: row.claim_token } : {}),
    ...(row.message_ts ? { messageTs: row.message_ts } : {}),
    ...(row.posted_channel ? { postedChannel: row.posted_channel } : {}),
    ...(row.last_error ? { lastError: row.last_error } : {}),
  };
}

function timestamp(): string {
  return new Date().toISOString();
}

/** A row just written and read back in the same transaction is there; if not, something is badly wrong. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} could not be read back`);
  return value;
}

function installationFromRow(row: InstallationsTable): InstallationRecord {
  return {
    teamId: row.team_id,
    ...(row.enterprise_id ? { enterpriseId: row.enterprise_id } : {}),
    ...(row.team_name ? { teamName: row.team_name } : {}),
    ...(row.app_id ? { appId: row.app_id } : {}),
    ...(row.bot_token ? { botToken: row.bot_token } : {}),
    ...(row.bot_id ? { botId: row.bot_id } : {}),
    ...(row.bot_user_id ? { botUserId: row.bot_user_id } : {}),
    botScopes: row.bot_scopes ? row.bot_scopes.split(',') : [],
    installerUserId: row.installer_user_id,
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
    ...(row.uninstalled_at ? { uninstalledAt: row.uninstalled_at } : {}),
  };
}
