# The guest pages (L1, L3): every word they show. The pages are built from this file at compile
# time ({{t:key}} in the HTML), and the scripts read the same messages through i18n.js.

## Every page
language-label = Language
language-apply = Change
minutes = { $minutes } minutes
page-failed = Something went wrong: { $error }
signed-in-as = Signed in as
sign-out = Sign out
field-subject = the subject
field-name = your name
field-email = your email address
field-members = the additional members
field-message = your message
field-code = the code

## Refusals, as a guest reads them
problem-network = The service could not be reached. Check your connection and try again.
problem-unexpected = The service answered with something unexpected. Please try again.
problem-unavailable = The service is busy for a moment. Please try again.
problem-slot-taken = Sorry, that time was just taken. Please pick another.
problem-time-gone = That time can no longer be booked. Please pick another.
problem-guest-cap = You already have the most meetings allowed here. You can book another once one has passed or been cancelled.
problem-guest-cap-with = You already have the most meetings allowed with { $agent }. You can book another once one has passed or been cancelled.
problem-meeting-cancelled = This meeting was cancelled and can no longer be changed.
problem-meeting-started = This meeting has already started and can no longer be changed.
problem-version-conflict = The meeting was changed meanwhile. It is shown as it is now; please try again.
problem-code-incorrect = That code is not right. Check the newest email and try again.
problem-code-expired = This code has expired. The time is no longer held: please pick it again.
problem-already-confirmed = This booking is already confirmed. Check your email for the invitation.
problem-too-many-holds = You have several bookings waiting for their code. Confirm one from your email, or wait ten minutes.
problem-too-many-codes = We sent this address several codes in the last hour. Use the newest one, or try again later.
problem-page-busy = Too many bookings are waiting here right now. Please try again in a few minutes.
problem-too-many-changes = This meeting was changed many times today. Please try again tomorrow, or write to the organiser.
problem-too-many-messages = You wrote many messages in a short time. Please wait a few minutes.
problem-unauthorized = This link is not valid. Use the link from your email.
problem-not-found = This link does not exist or is no longer valid.
problem-check-field = Please check { $field }.
problem-check-input = Please check what you entered.
problem-generic = Something went wrong. Please try again.

## The booking page
booking-title = Book a meeting
booking-eyebrow = Book a meeting with
booking-title-with = Book a meeting with { $agent }
booking-not-found-heading = Booking link not found
booking-not-found = This booking link does not exist. Check the address you were given.
booking-signed-in-before = Booked here before? Sign in
booking-mine = Your meetings
booking-pick = Pick a time
booking-duration = Duration
booking-zone = Time zone
booking-details = Your details
booking-subject = Subject
booking-name = Your name
booking-email = Email
booking-members = Additional members
booking-members-hint = emails, separated by commas
booking-schedule = Schedule
booking-change-time = Pick another time
chosen-slot = { $when } ({ $zone }), { $minutes } minutes
booked-heading = Your meeting is booked
booked-summary = { $subject }: { $when } ({ $zone }), { $minutes } minutes
booked-summary-with = { $subject }: { $when } ({ $zone }), { $minutes } minutes, with { $agent }
booked-sent = We sent you an email with an invitation. Keep this link to reschedule, change or cancel:
booked-manage = Manage your meeting

## Signing in and the code step
sign-in-heading = Sign in
sign-in-explain = We will email you a six-digit code and a link. Signed in, you see your meetings and conversations here, you can write in them, and your bookings are confirmed at once.
sign-in-email = Your email address
sign-in-send = Send me a code
sign-in-not-now = Not now
verify-heading = Check your email
verify-code = Code
verify-confirm = Confirm
verify-resend = Send a new code
verify-what = { $subject }: { $chosen }
verify-sent = We sent a six-digit code to { $email }. Enter it here, or use the link in the email.
verify-sent-again = We sent a new code to { $email }; the earlier one no longer works.
verify-held-until = The time is held for you until { $time } ({ $left } left).
verify-code-works-until = The code works until { $time } ({ $left } left).
time-in-zone = { $time } { $zone } time
verify-expired = The code has expired.
verify-six-digits = Please enter the six digits from the email.

## The calendar a time is picked from
picker-previous = Previous month
picker-next = Next month
picker-keys = Arrow keys move between choices, Enter picks.
picker-times = Times
picker-day-free = { $day }, free times: { $count }
picker-day-none = { $day }, no times free
picker-none = No free times this month.

## A meeting's card (the manage and conversation pages)
when-zone = { $when } ({ $zone })
card-move-here = Move here
card-change = Change this meeting
card-change-duration = Change the duration
card-save-duration = Save duration
card-reschedule = Reschedule
card-cancel = Cancel meeting
card-keep-time = Keep the current time
card-pick-new = Pick a new time
card-when = When
card-status = Status
card-cancelled = Cancelled
card-scheduled = Scheduled
card-move-to = Move to { $when }
card-duration-changed = The duration was changed. Everyone got an updated invitation.
card-moved = The meeting was moved. Everyone got an updated invitation.
card-cancel-ask = Cancel this meeting? Everyone will be told.
card-cancelled-notice = The meeting was cancelled. Everyone was told.

## The conversation page
conversation-title = Conversation
conversation-title-with = { $title } – Conversation
conversation-sign-in-to-open = Sign in to open this conversation
conversation-not-yours = This conversation is not one of yours. Sign in with the address you booked with.
conversation-members = Members: { $count }
conversation-sign-in-to-write = Sign in to write
conversation-meetings = Meetings
conversation-messages = Messages
conversation-older = Show earlier messages
conversation-your-message = Your message
conversation-send = Send
conversation-mute = No emails about new messages
conversation-read-only = You are reading through the conversation's link. Sign in to write.
conversation-write-first = Please write a message first.
event-meeting-booked = Meeting booked: “{ $subject }” on { $when }
event-meeting-rescheduled = Meeting moved from { $from } to { $to }
event-duration-changed = Meeting duration changed from { $from } to { $to } minutes
event-subject-changed = Meeting subject changed from “{ $from }” to “{ $to }”
event-meeting-cancelled = Meeting on { $when } cancelled
event-renamed = Conversation renamed to “{ $title }”
event-renamed-reset = Conversation name reset
event-assigned = Conversation assigned to { $agent } ({ $service })
event-reminder-sent = Reminder sent: the meeting on { $when } starts in { $minutes } minutes
event-email-bounced = The email to { $name } bounced: they may not have the latest invitation, and get no more email
event-email-complaint = { $name } marked an email as spam: they get no more email
event-agent-left = { $agent } left; the conversation waits for { $service }
event-service-removed = The service { $service } was removed; the conversation waits for { $agent }
event-meeting-handed-over = The meeting is now with { $to } ({ $from } left)
event-meeting-rehosted = The meeting is now with { $to } ({ $from } is not free at the new time)
event-unsubscribed = { $name } stopped emails about this conversation

## The manage page
manage-title = Your meeting
manage-eyebrow = Your meeting
manage-not-found-heading = Meeting not found
manage-open-from-email = Open this page from the link in your email, or sign in on the booking page.
manage-conversation = Open the conversation

## The one-click pages (confirm a booking, sign in, stop emails)
confirm-title = Confirm your booking
confirm-eyebrow = One last step
confirm-explain = Press the button to confirm the meeting you booked. Until you do, the time is only held for you.
confirm-button = Confirm my booking
link-sign-in-eyebrow = One click
link-sign-in-explain = Press the button to sign in with the address this email was sent to. Signed in, you see your meetings and conversations, and your bookings are confirmed at once.
link-sign-in-button = Sign me in
link-sign-in-done = You are signed in
link-sign-in-go-on = Go on
unsubscribe-title = Stop emails
unsubscribe-eyebrow = Your emails
unsubscribe-heading = Stop emails about this conversation
unsubscribe-explain = You will get no more emails about this conversation: no messages, changes or reminders. Everyone in it will see that you stopped them.
unsubscribe-button = Stop these emails
unsubscribe-done-heading = Done
unsubscribe-done = { $email } gets no more emails about “{ $conversation }”.
console-title = Console
