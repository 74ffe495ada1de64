import { callOk, contractClient, expect, test } from './fixtures';
import { seedChannel } from './screens';

const EDITOR = { username: 'eddie', password: 'an-editor-password' };

/**
 * Two people at two desks: the admin in this test's page and an editor in a second browser
 * context. What one writes reaches the other at once, through the core's events.
 */
test('a message and a handover note reach the other window at once', async ({ airdeck, page }) => {
  test.setTimeout(120_000);
  const client = await contractClient(airdeck);
  try {
    const channel = await seedChannel(client, 'Chat One');
    await callOk(client, 'personCreate', {
      username: EDITOR.username,
      displayName: 'Eddie Editor',
      password: EDITOR.password,
      role: 'editor',
    });
    const editorContext = await airdeck.newContext({}, EDITOR);
    const editor = await editorContext.newPage();
    try {
      await page.goto(`${airdeck.url}#/chat`);
      await editor.goto(`${airdeck.url}#/chat`);
      await expect(page.getByTestId('chat-screen')).toBeVisible();
      await expect(editor.getByTestId('chat-screen')).toBeVisible();

      // Both are on duty, on the Chat screen.
      await expect(page.getByTestId('presence-eddie')).toContainText('Chat');
      await expect(editor.getByTestId(`presence-${airdeck.admin.username}`)).toContainText('Chat');

      // The admin writes in the station room; Enter sends, Shift+Enter is a new line.
      const compose = page.getByTestId('chat-compose');
      await compose.fill('Studio B is back on line');
      await compose.press('Shift+Enter');
      await compose.pressSequentially('thanks @eddie');
      await compose.press('Enter');
      await expect(compose).toHaveValue('');
      const received = editor.getByTestId('chat-messages').getByTestId('chat-message').last();
      await expect(received).toContainText('Studio B is back on line');
      await expect(received).toContainText('thanks @eddie');

      // The editor, reading another room, gets a badge for the channel room's new message.
      await editor.getByTestId('chat-room-station').click();
      await page.getByTestId(`chat-room-channel:${channel.id}`).click();
      await page.getByTestId('chat-compose').fill('@eddie the 21:00 promo is short');
      await page.getByTestId('chat-compose').press('Enter');
      await expect(
        editor.getByTestId(`chat-room-channel:${channel.id}`).getByTestId('chat-unread'),
      ).toHaveText('@1');
      await expect(editor.getByTestId('chat-mention-toast')).toBeVisible();
      await editor.getByTestId(`chat-room-channel:${channel.id}`).click();
      await expect(
        editor.getByTestId(`chat-room-channel:${channel.id}`).getByTestId('chat-unread'),
      ).toHaveCount(0);

      // The admin writes the channel's handover note; the editor sees it at once, in the
      // channel's room and on the On air screen.
      await expect(editor.getByTestId('handover-empty')).toBeVisible();
      await page.getByTestId('handover-edit').click();
      await page.getByTestId('handover-input').fill('Ad server flaky after 22:00, watch breaks');
      await page.getByTestId('handover-save').click();
      await expect(editor.getByTestId('handover-text')).toHaveText(
        'Ad server flaky after 22:00, watch breaks',
      );
      // Editors read the note but do not write it.
      await expect(editor.getByTestId('handover-edit')).toHaveCount(0);
      await editor.goto(`${airdeck.url}#/channels-control`);
      await expect(editor.getByTestId('handover-text')).toHaveText(
        'Ad server flaky after 22:00, watch breaks',
      );
      // The move shows in the admin's presence list too.
      await expect(page.getByTestId('presence-eddie')).toContainText('On air');
    } finally {
      await editorContext.close();
    }
  } finally {
    client.close();
  }
});
