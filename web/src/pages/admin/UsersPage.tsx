import { useState } from 'react';
import { listUsers, type CreatedStaffUser } from '../../api/admin.js';
import { InviteCode } from '../../components/InviteCode.js';
import { LoadState } from '../../components/LoadState.js';
import { useResource } from '../../data/useQuery.js';
import type { PageProps } from '../page-props.js';
import { CreateUserForm } from './CreateUserForm.js';
import { UserCard } from './UserCard.js';

/** Admin: staff accounts and their public keys. Admins never see record bodies. */
export function UsersPage(props: PageProps) {
  const users = useResource(listUsers);
  const [created, setCreated] = useState<CreatedStaffUser>();
  const [formKey, setFormKey] = useState(0);
  const [notice, setNotice] = useState<string>();

  async function changed(message: string): Promise<void> {
    setNotice(message);
    await users.reload();
  }

  async function onCreated(user: CreatedStaffUser): Promise<void> {
    // The form gives way to the invite code, shown this once.
    setCreated(user);
    await changed(
      `${user.user.username} was created; a second administrator must approve it on the Approvals page.`,
    );
  }

  function done(): void {
    setCreated(undefined);
    setFormKey((key) => key + 1);
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Staff sign in with a password and a private key that only they hold; MedVault keeps their public keys.
        No administrator sets a password or a key.
      </p>
      <p className="notice-region notice-banner" role="status" aria-live="polite">
        {notice}
      </p>
      <section className="card" aria-labelledby="create-user-title">
        <h2 id="create-user-title">Create a staff account</h2>
        {created ? (
          <InviteCode username={created.user.username} invite={created.invite} onDone={done} />
        ) : (
          <CreateUserForm key={formKey} onCreated={onCreated} />
        )}
      </section>
      <section className="section" aria-labelledby="user-list-title">
        <h2 id="user-list-title">Staff accounts</h2>
        <LoadState resource={users.resource} what="staff accounts" onRetry={() => void users.reload()} />
        {users.resource.status === 'ready' &&
          (users.resource.data.length === 0 ? (
            <p className="empty-state">No staff accounts yet.</p>
          ) : (
            <div className="user-list">
              {users.resource.data.map((user) => (
                <UserCard key={user.id} user={user} isSelf={user.id === props.user.id} onChanged={changed} />
              ))}
            </div>
          ))}
      </section>
    </section>
  );
}
