// The second jest project: the bot's store is on PostgreSQL (see backends.ts and jest.config.js).
process.env.ROUNDUP_TEST_BACKEND = 'postgres';
