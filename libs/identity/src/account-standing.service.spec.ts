import type { DataSource } from 'typeorm';
import { AccountStanding } from './account-standing.service';

/** A stand-in for the pool: answers the prepared SELECT with whatever `active` currently says. */
function fakeDatabase() {
  const db = { active: true, queries: 0 };
  const master = {
    query: async () => {
      db.queries++;
      return { rows: [{ active: db.active }] };
    },
  };
  const dataSource = { manager: { connection: { driver: { master } } } } as unknown as DataSource;
  return { db, dataSource };
}

describe('AccountStanding', () => {
  it('asks the database once, then reuses the answer for ten seconds', async () => {
    const { db, dataSource } = fakeDatabase();
    const standing = new AccountStanding(dataSource);
    const t0 = 1_000_000;
    expect(await standing.isActive('u1', t0)).toBe(true);
    db.active = false;
    expect(await standing.isActive('u1', t0 + 9_000)).toBe(true);
    expect(db.queries).toBe(1);
    // Another process deactivated the account: seen once the cached answer is old.
    expect(await standing.isActive('u1', t0 + 10_001)).toBe(false);
    expect(db.queries).toBe(2);
  });

  it('asks again at once after forget (a deactivation made in this process)', async () => {
    const { db, dataSource } = fakeDatabase();
    const standing = new AccountStanding(dataSource);
    expect(await standing.isActive('u1', 5)).toBe(true);
    db.active = false;
    standing.forget('u1');
    expect(await standing.isActive('u1', 6)).toBe(false);
  });

  it('treats an account that no longer exists as not active', async () => {
    const dataSource = { manager: { connection: { driver: { master: { query: async () => ({ rows: [] }) } } } } } as unknown as DataSource;
    expect(await new AccountStanding(dataSource).isActive('gone')).toBe(false);
  });
});
