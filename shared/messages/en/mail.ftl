# The emails and invitations (L1, L2): every word of them, in the recipient's language. User
# text (subjects, names, messages) is never translated, only placed.

## Every email
mail-hello = Hello { $name },
mail-label-subject = Subject
mail-label-when = When
mail-label-with = With
mail-label-previously = Previously
mail-label-previous-subject = Previous subject
mail-label-also-invited = Also invited
mail-label-manage = Manage
mail-manage-use-confirmation = use the link in your booking confirmation
mail-link-manage = Reschedule, change or cancel
mail-link-console-meeting = Open in the console
mail-link-conversation = Conversation
mail-link-unsubscribe = Stop emails about this conversation
mail-reference = Meeting reference: { $id }

## A meeting's emails, by what happened
mail-booked-headline = A meeting was booked.
mail-booked-subject = Meeting booked: { $subject }
mail-changed-headline = A meeting was changed.
mail-changed-subject = Meeting updated: { $subject }
mail-cancelled-headline = A meeting was cancelled.
mail-cancelled-subject = Meeting cancelled: { $subject }
mail-reminder-headline = Your meeting starts in { $minutes } minutes.
mail-reminder-subject = Reminder: { $subject } at { $time }
mail-assigned-headline = A conversation was assigned.
mail-assigned-subject = Assigned: { $subject }
mail-handed-over-headline = This meeting is now with { $agent }: { $previous } has left.
mail-manage-link-headline = Your meeting has a new link to reschedule, change or cancel it. The earlier link no longer works.
mail-manage-link-subject = New link for your meeting: { $subject }
mail-invitation-summary = { $subject } with { $with }

## Codes
mail-label-code = Code
mail-label-valid-until = Valid until
mail-confirm-headline = Confirm your booking with this code, or with the link below. Until then the time is only held for you.
mail-confirm-subject = { $code } is your code to confirm your booking
mail-console-sign-in-headline = Sign in to the console with this code.
mail-console-sign-in-subject = { $code } is your console sign-in code
mail-sign-in-headline = Sign in with this code to see your meetings with { $agent }.
mail-sign-in-subject = { $code } is your sign-in code
mail-link-confirm = Confirm my booking
mail-link-sign-in = Sign in without the code
mail-code-footer = If you did not ask for this, ignore this email: nothing is booked without the code.

## To agents and admins
mail-calendar-headline = One of your connected calendars cannot be read. Until it can, its busy time is missing from your free slots, so guests may book times you are busy.
mail-calendar-subject = A connected calendar cannot be read
mail-label-calendar = Calendar
mail-label-why = Why
mail-link-calendars = Your calendars in the console
mail-calendar-footer = You get this email at most once a day per calendar.
mail-webhook-headline = A webhook endpoint failed for a day and was disabled: it gets no more events until it is enabled again. Its log says what it answered.
mail-webhook-subject = A webhook endpoint was disabled
mail-label-endpoint = Endpoint
mail-link-console = The console
mail-webhook-footer = The deliveries it missed can be sent again from its log.

## The digest of a conversation's new messages
mail-digest-subject-one = New message from { $author } in { $title }
mail-digest-subject-many = { $count } new messages in { $title }
mail-digest-intro = New in the conversation “{ $title }”:
mail-digest-earlier = Earlier messages on the conversation's page: { $count }
mail-digest-read-reply = Read and reply
mail-digest-footer = You get this email because you are in this conversation and had not read these messages. To stop these emails, mute the conversation on its page, or use the link below.
