import type { ReactNode } from 'react';

export function EmptyState({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="empty" aria-label={title}>
      <h2>{title}</h2>
      <div className="empty-text">{children}</div>
      {actions && <div className="empty-actions">{actions}</div>}
    </section>
  );
}
