import { describe, expect, it } from 'vitest';
import { setupApp } from '../helper.js';

const t = setupApp();

const addUser = async (body: Record<string, unknown>) => {
  const res = await t.api('POST', '/api/v1/users', {
    body: { role: 'member', firstName: 'Us', lastName: 'Er', ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.data;
};

describe('users managed by hand', () => {
  it('adds a user with the default profile, the top-level team, pending status and a membership history row', async () => {
    const user = await addUser({
      email: 'Grace@Example.com',
      firstName: 'Grace',
      lastName: 'Hopper',
      licenses: ['forecasting'],
    });
    expect(user).toMatchObject({
      email: 'Grace@Example.com',
      profileId: t.org.defaultProfileId,
      profileName: 'Default - Intake Off',
      teamId: t.org.topTeamId,
      status: 'pending',
      source: 'manual',
      licenses: ['forecasting'],
      objectVisibility: 'full',
    });
    const history = await t.api('GET', `/api/v1/teams/${t.org.topTeamId}/history`);
    expect(history.data.items.find((h: any) => h.userId === user.id)).toMatchObject({ endedAt: null });
  });

  it('refuses a second user with the same email in another case', async () => {
    await addUser({ email: 'dup@example.com' });
    const res = await t.api('POST', '/api/v1/users', {
      body: { email: 'DUP@example.COM', firstName: 'D', lastName: 'Up', role: 'member' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.code).toBe('email_taken');
  });

  it('allows the same email in another org', async () => {
    const other = await t.createOrg();
    const res = await t.api('POST', '/api/v1/users', {
      org: other,
      body: { email: 'dup@example.com', firstName: 'D', lastName: 'Up', role: 'member' },
    });
    expect(res.statusCode).toBe(201);
  });

  it('refuses an invalid email, role or license with a 400 naming the field', async () => {
    for (const body of [
      { email: 'not-an-email', role: 'member' },
      { email: 'ok@example.com', role: 'boss' },
      { email: 'ok@example.com', role: 'member', licenses: ['platinum'] },
    ]) {
      const res = await t.api('POST', '/api/v1/users', { body });
      expect(res.statusCode).toBe(400);
      expect(res.data.error.code).toBe('validation_error');
    }
  });

  it('refuses an unknown team or profile', async () => {
    const team = await t.api('POST', '/api/v1/users', {
      body: {
        email: 'x1@example.com',
        firstName: 'X',
        lastName: 'One',
        role: 'member',
        teamId: '00000000-0000-4000-8000-000000000000',
      },
    });
    expect(team.data.error.code).toBe('unknown_team');
    const profile = await t.api('POST', '/api/v1/users', {
      body: {
        email: 'x1@example.com',
        firstName: 'X',
        lastName: 'One',
        role: 'member',
        profileId: '00000000-0000-4000-8000-000000000000',
      },
    });
    expect(profile.data.error.code).toBe('unknown_profile');
  });

  it('edits a user, moving team with the old membership closed and the change audited', async () => {
    const team = (await t.api('POST', '/api/v1/teams', { body: { name: 'Sales' } })).data;
    const user = await addUser({ email: 'edit@example.com', firstName: 'Ed' });
    const res = await t.api('PATCH', `/api/v1/users/${user.id}`, {
      body: { firstName: 'Edward', teamId: team.id, role: 'manager' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.data).toMatchObject({ firstName: 'Edward', teamId: team.id, teamName: 'Sales', role: 'manager' });
    const top = await t.api('GET', `/api/v1/teams/${t.org.topTeamId}/history`);
    expect(top.data.items.find((h: any) => h.userId === user.id).endedAt).not.toBeNull();
    const sales = await t.api('GET', `/api/v1/teams/${team.id}/history`);
    expect(sales.data.items).toEqual([expect.objectContaining({ userId: user.id, endedAt: null })]);
    const audit = await t.api('GET', `/api/v1/audit-log?targetType=user&targetId=${user.id}`);
    const update = audit.data.items.find((a: any) => a.action === 'user.update');
    expect(update).toMatchObject({
      before: { firstName: 'Ed', role: 'member' },
      after: { firstName: 'Edward', role: 'manager' },
    });
    expect(audit.data.items.map((a: any) => a.action)).toContain('user.move');
  });

  it('refuses changing an email to one another user has', async () => {
    const a = await addUser({ email: 'a-mail@example.com' });
    await addUser({ email: 'b-mail@example.com' });
    const res = await t.api('PATCH', `/api/v1/users/${a.id}`, { body: { email: 'B-MAIL@example.com' } });
    expect(res.statusCode).toBe(409);
  });

  it('suspends with a reason and time, then reactivates into the onboarding queue', async () => {
    const user = await addUser({ email: 'sus@example.com' });
    const res = await t.api('POST', `/api/v1/users/${user.id}/suspend`, { body: { reason: 'Left the company' } });
    expect(res.statusCode).toBe(200);
    expect(res.data).toMatchObject({ status: 'suspended', suspensionReason: 'Left the company' });
    expect(Date.parse(res.data.suspendedAt)).toBeGreaterThan(Date.now() - 60_000);
    const back = await t.api('POST', `/api/v1/users/${user.id}/reactivate`);
    expect(back.data).toMatchObject({ status: 'pending', suspensionReason: null, suspendedAt: null });
  });

  it('deletes only with the user email as confirmation, keeping who deleted which id and when', async () => {
    const user = await addUser({ email: 'gone@example.com' });
    const unconfirmed = await t.api('DELETE', `/api/v1/users/${user.id}`);
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.data.error.code).toBe('confirmation_required');
    const wrong = await t.api('DELETE', `/api/v1/users/${user.id}?confirm=other@example.com`);
    expect(wrong.statusCode).toBe(400);
    const res = await t.api('DELETE', `/api/v1/users/${user.id}?confirm=GONE@example.com`);
    expect(res.statusCode).toBe(204);
    expect((await t.api('GET', `/api/v1/users/${user.id}`)).statusCode).toBe(404);
    const history = await t.api('GET', `/api/v1/teams/${t.org.topTeamId}/history?limit=1000`);
    expect(history.data.items.some((h: any) => h.userId === user.id)).toBe(false);
    const audit = await t.api('GET', `/api/v1/audit-log?targetType=user&targetId=${user.id}&action=user.delete`);
    expect(audit.data.items).toEqual([
      expect.objectContaining({ actor: t.org.adminUserId, targetId: user.id, at: expect.any(String) }),
    ]);
  });

  it('does not let an admin delete or suspend themselves', async () => {
    const del = await t.api('DELETE', `/api/v1/users/${t.org.adminUserId}?confirm=${t.org.adminEmail}`);
    expect(del.statusCode).toBe(409);
    const sus = await t.api('POST', `/api/v1/users/${t.org.adminUserId}/suspend`, { body: { reason: 'x' } });
    expect(sus.statusCode).toBe(409);
  });

  it('does not let an admin take away their own Admin role, so the org always keeps an admin', async () => {
    const res = await t.api('PATCH', `/api/v1/users/${t.org.adminUserId}`, { body: { role: 'member' } });
    expect(res.statusCode).toBe(409);
    expect(res.data.error).toMatchObject({ code: 'cannot_demote_self', details: { field: 'role' } });
    expect((await t.api('GET', `/api/v1/users/${t.org.adminUserId}`)).data.role).toBe('admin');
    // Other edits of their own record still work.
    const own = await t.api('PATCH', `/api/v1/users/${t.org.adminUserId}`, { body: { jobTitle: 'Head of RevOps' } });
    expect(own.statusCode).toBe(200);
  });

  it('answers 404 for a user of another org', async () => {
    const other = await t.createOrg();
    const res = await t.api('GET', `/api/v1/users/${other.adminUserId}`);
    expect(res.statusCode).toBe(404);
  });
});

describe('users in Automatic Mode', () => {
  it('refuses edits of Salesforce-owned fields, places hand-added users in Unassigned, and still allows other edits', async () => {
    const org = await t.createOrg('Auto');
    const user = (
      await t.api('POST', '/api/v1/users', {
        org,
        body: {
          email: 'auto@example.com',
          role: 'member',
          firstName: 'Al',
          lastName: 'Auto',
          sfUserId: '005000000000042AAA',
        },
      })
    ).data;
    // Linked to a user the sync has read from Salesforce.
    await t.app.db('salesforce_users').insert({
      org_id: org.orgId,
      sf_user_id: '005000000000042AAA',
      email: 'auto@example.com',
      first_name: 'Al',
      last_name: 'Auto',
      is_active: true,
    });
    await t.app.db('orgs').where({ id: org.orgId }).update({ management_mode: 'automatic' });

    const refused = await t.api('PATCH', `/api/v1/users/${user.id}`, {
      org,
      body: { firstName: 'Alan', jobTitle: 'VP' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.data.error).toMatchObject({
      code: 'owned_by_salesforce',
      details: { owner: 'salesforce', fields: ['firstName', 'jobTitle'] },
    });
    expect(refused.data.error.message).toMatch(/Salesforce/);

    const allowed = await t.api('PATCH', `/api/v1/users/${user.id}`, {
      org,
      body: { firstName: 'Al', role: 'data', licenses: ['forecasting'] },
    });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.data).toMatchObject({ role: 'data', licenses: ['forecasting'] });

    const email = await t.api('PATCH', `/api/v1/users/${user.id}`, { org, body: { email: 'other@example.com' } });
    expect(email.statusCode).toBe(409);
    expect(email.data.error.details.fields).toEqual(['email']);

    const added = await t.api('POST', '/api/v1/users', {
      org,
      body: { email: 'hand@example.com', role: 'member', firstName: 'Han', lastName: 'Dee' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.data).toMatchObject({ teamId: org.unassignedTeamId, teamName: 'Unassigned' });
  });

  it('in Automatic Mode keeps a hand-added user (no Salesforce record) editable by hand, out of the hierarchy', async () => {
    const org = await t.createOrg('Auto hand');
    await t.app.db('orgs').where({ id: org.orgId }).update({ management_mode: 'automatic' });
    const added = (
      await t.api('POST', '/api/v1/users', {
        org,
        body: { email: 'contractor@example.com', role: 'member', firstName: 'Con', lastName: 'Tractor' },
      })
    ).data;
    const edited = await t.api('PATCH', `/api/v1/users/${added.id}`, {
      org,
      body: { firstName: 'Connie', lastName: 'Tractor-Smith', jobTitle: 'Advisor', email: 'connie@example.com' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.data).toMatchObject({ firstName: 'Connie', jobTitle: 'Advisor', email: 'connie@example.com' });
    const intoHierarchy = await t.api('PATCH', `/api/v1/users/${added.id}`, {
      org,
      body: { teamId: org.topTeamId },
    });
    expect(intoHierarchy.statusCode).toBe(409);
    expect(intoHierarchy.data.error.code).toBe('not_in_salesforce');
  });
});

describe('every user has a first and last name, a license, a role and a visibility', () => {
  it('refuses a user without a first name, a last name or any license, naming the field', async () => {
    for (const [body, field] of [
      [{ email: 'a@example.com', lastName: 'Only', role: 'member' }, 'firstName'],
      [{ email: 'b@example.com', firstName: 'Only', lastName: '  ', role: 'member' }, 'lastName'],
      [{ email: 'c@example.com', firstName: 'No', lastName: 'License', role: 'member', licenses: [] }, 'licenses'],
      [{ email: 'd@example.com', firstName: 'No', lastName: 'Role' }, 'role'],
    ] as const) {
      const res = await t.api('POST', '/api/v1/users', { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.data.error)).toContain(field);
    }
    const ok = await t.api('POST', '/api/v1/users', {
      body: { email: 'e@example.com', firstName: 'Ev', lastName: 'Eryone', role: 'member' },
    });
    expect(ok.data).toMatchObject({ licenses: ['foundation'], objectVisibility: 'full' });
    const cleared = await t.api('PATCH', `/api/v1/users/${ok.data.id}`, { body: { lastName: '', licenses: [] } });
    expect(cleared.statusCode).toBe(400);
    for (const field of ['firstName', 'lastName', 'licenses', 'role', 'objectVisibility']) {
      const res = await t.api('PATCH', `/api/v1/users/${ok.data.id}`, { body: { [field]: null } });
      expect(res.statusCode, field).toBe(400);
      expect(JSON.stringify(res.data.error), field).toContain(field);
    }
    expect((await t.api('GET', `/api/v1/users/${ok.data.id}`)).data).toMatchObject({
      firstName: 'Ev',
      lastName: 'Eryone',
      role: 'member',
      objectVisibility: 'full',
      licenses: ['foundation'],
    });
  });
});
