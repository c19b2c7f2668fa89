import { useState } from 'react';
import {
  addPasskey,
  beginTotp,
  confirmTotp,
  listFactors,
  removeFactor,
  type FactorList,
} from '../../api/second-factors.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { FormAlert } from '../../components/FormAlert.js';
import { LoadState } from '../../components/LoadState.js';
import { useResource } from '../../data/useQuery.js';
import { useAction } from '../../forms/useAction.js';
import { formatDateTime } from '../../format.js';
import { AddSecondFactor, type FactorAdding } from './AddSecondFactor.js';

type Factor = FactorList['factors'][number];
type Policy = FactorList['policy'];

const KIND_LABELS: Readonly<Record<Factor['kind'], string>> = {
  totp: 'Authenticator app',
  passkey: 'Passkey',
};

const POLICY_TEXT: Readonly<Record<Policy, string>> = {
  off: 'Your hospital does not use second factors for your role.',
  optional: 'A second factor is optional: once you add one, every sign-in asks for it after your password.',
  required: 'Your hospital requires a second factor for your role: every sign-in asks for one.',
};

/**
 * The account page's Security section, for every role (issue 14): the signed-in user's own
 * second factors, adding one (the same component the sign-in uses when the hospital requires a
 * factor) and removing one after a confirmation. The server needs only the session to remove;
 * under `required` it refuses to remove the last one, and that refusal is shown as it says.
 */
export function SecuritySection() {
  const factors = useResource(listFactors);
  const [notice, setNotice] = useState<string>();
  const remove = useAction<string>();

  const added = async (what: string): Promise<void> => {
    remove.clearError();
    await factors.reload();
    setNotice(`${what} added. Your next sign-in will ask for a second factor.`);
  };
  const adding: FactorAdding = {
    beginTotp: async () => {
      setNotice(undefined);
      return beginTotp();
    },
    confirmTotp: async (setup, code) => {
      await confirmTotp(setup.factorId, code);
      await added('Authenticator app');
    },
    addPasskey: async () => {
      setNotice(undefined);
      await addPasskey(`Passkey (${new Date().toLocaleDateString()})`);
      await added('Passkey');
    },
  };
  const onRemove = (factor: Factor): void => {
    setNotice(undefined);
    void remove
      .run(factor.id, () => removeFactor(factor.id))
      .then(async (ok) => {
        if (!ok) return;
        await factors.reload();
        setNotice(`${KIND_LABELS[factor.kind]} "${factor.label}" removed.`);
      });
  };

  return (
    <section className="card" aria-labelledby="security-title">
      <h2 id="security-title" className="panel-title">
        Security
      </h2>
      <LoadState
        resource={factors.resource}
        what="your second factors"
        onRetry={() => void factors.reload()}
      />
      {notice && (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      )}
      {factors.resource.status === 'ready' && (
        <div className="stack">
          <p>{POLICY_TEXT[factors.resource.data.policy]}</p>
          <FactorsList factors={factors.resource.data.factors} busy={remove.running} onRemove={onRemove} />
          <FormAlert title="Could not remove the second factor." message={remove.error} />
          {factors.resource.data.policy !== 'off' && (
            <>
              <h3>Add a second factor</h3>
              <AddSecondFactor
                adding={adding}
                errorTitle="Could not add the second factor."
                cancellable
                labels={{ totp: 'Add an authenticator app', passkey: 'Add a passkey' }}
              />
            </>
          )}
        </div>
      )}
    </section>
  );
}

function FactorsList(props: {
  readonly factors: readonly Factor[];
  readonly busy: string | undefined;
  readonly onRemove: (factor: Factor) => void;
}) {
  if (props.factors.length === 0) return <p className="empty-state">You have no second factor yet.</p>;
  return (
    <ul className="factor-list" aria-label="Your second factors">
      {props.factors.map((f) => (
        <li key={f.id}>
          <span>
            <strong>{KIND_LABELS[f.kind]}</strong>: {f.label}
            <br />
            <span className="muted">
              Added {formatDateTime(f.createdAt)}
              {f.lastUsedAt === null ? ', not used yet' : `, last used ${formatDateTime(f.lastUsedAt)}`}
            </span>
          </span>
          <ConfirmButton
            label="Remove"
            accessibleLabel={`Remove ${KIND_LABELS[f.kind].toLowerCase()} ${f.label}`}
            question={`Remove ${f.label}? Sign-ins stop accepting it at once.`}
            confirmLabel="Remove"
            busy={props.busy === f.id}
            disabled={props.busy !== undefined}
            onConfirm={() => props.onRemove(f)}
          />
        </li>
      ))}
    </ul>
  );
}
