import { describe, expect, it } from 'vitest';
import { chatDisplayName } from '../../../src/shared/domain/chat-names';

describe('what people see for chat users', () => {
  it('memo first, then the display name, else the user id without the server domain', () => {
    expect(chatDisplayName('alice@sandbox.printdeck.local', { memo: 'Al (lab 2)', nickname: 'Alice' })).toBe('Al (lab 2)');
    expect(chatDisplayName('alice@sandbox.printdeck.local', { memo: '', nickname: 'Alice' })).toBe('Alice');
    expect(chatDisplayName('alice@sandbox.printdeck.local', null)).toBe('alice');
    expect(chatDisplayName('first.last@corp@sandbox.printdeck.local')).toBe('first.last@corp');
  });
});
