# Las páginas para invitados (L1, L3): cada palabra que muestran. Las páginas se generan a partir de este
# archivo al compilar ({{t:key}} en el HTML), y los scripts leen los mismos mensajes mediante i18n.js.

## Todas las páginas
language-label = Idioma
language-apply = Cambiar
minutes = { $minutes } min
page-failed = Algo salió mal: { $error }
signed-in-as = Sesión iniciada como
sign-out = Cerrar sesión
field-subject = el asunto
field-name = tu nombre
field-email = tu dirección de correo electrónico
field-members = los participantes adicionales
field-message = tu mensaje
field-code = el código

## Rechazos, tal como los lee un invitado
problem-network = No se pudo conectar con el servicio. Comprueba tu conexión e inténtalo de nuevo.
problem-unexpected = El servicio respondió algo inesperado. Inténtalo de nuevo.
problem-unavailable = El servicio está ocupado en este momento. Inténtalo de nuevo.
problem-slot-taken = Lo sentimos, alguien acaba de reservar esa hora. Elige otra.
problem-time-gone = Esa hora ya no se puede reservar. Elige otra.
problem-guest-cap = Ya tienes el máximo de reuniones permitidas aquí. Podrás reservar otra cuando una haya pasado o se haya cancelado.
problem-guest-cap-with = Ya tienes el máximo de reuniones permitidas con { $agent }. Podrás reservar otra cuando una haya pasado o se haya cancelado.
problem-meeting-cancelled = Esta reunión se canceló y ya no se puede modificar.
problem-meeting-started = Esta reunión ya ha empezado y no se puede modificar.
problem-version-conflict = La reunión se modificó mientras tanto. Ahora se muestra tal como está; inténtalo de nuevo.
problem-code-incorrect = Ese código no es correcto. Revisa el correo más reciente e inténtalo de nuevo.
problem-code-expired = Este código ha caducado. La hora ya no está apartada para ti: vuelve a elegirla.
problem-already-confirmed = Esta reserva ya está confirmada. Busca la invitación en tu correo.
problem-too-many-holds = Tienes varias reservas esperando su código. Confirma una desde tu correo o espera diez minutos.
problem-too-many-codes = Enviamos varios códigos a esta dirección en la última hora. Usa el más reciente o inténtalo más tarde.
problem-page-busy = Ahora mismo hay demasiadas reservas en espera aquí. Inténtalo de nuevo en unos minutos.
problem-too-many-changes = Esta reunión se ha modificado muchas veces hoy. Inténtalo de nuevo mañana o escribe al organizador.
problem-too-many-messages = Has escrito muchos mensajes en poco tiempo. Espera unos minutos.
problem-unauthorized = Este enlace no es válido. Usa el enlace de tu correo.
problem-not-found = Este enlace no existe o ya no es válido.
problem-check-field = Revisa { $field }.
problem-check-input = Revisa los datos que has introducido.
problem-generic = Algo salió mal. Inténtalo de nuevo.

## La página de reserva
booking-title = Reserva una reunión
booking-eyebrow = Reserva una reunión con
booking-title-with = Reserva una reunión con { $agent }
booking-not-found-heading = Enlace de reserva no encontrado
booking-not-found = Este enlace de reserva no existe. Revisa la dirección que te dieron.
booking-signed-in-before = ¿Ya has reservado aquí? Inicia sesión
booking-mine = Tus reuniones
booking-pick = Elige una hora
booking-duration = Duración
booking-zone = Zona horaria
booking-details = Tus datos
booking-subject = Asunto
booking-name = Tu nombre
booking-email = Correo electrónico
booking-members = Participantes adicionales
booking-members-hint = correos electrónicos, separados por comas
booking-schedule = Reservar
booking-change-time = Elegir otra hora
chosen-slot = { $when } ({ $zone }), { $minutes } min
booked-heading = Tu reunión está reservada
booked-summary = { $subject }: { $when } ({ $zone }), { $minutes } min
booked-summary-with = { $subject }: { $when } ({ $zone }), { $minutes } min, con { $agent }
booked-sent = Te hemos enviado un correo con una invitación. Guarda este enlace para cambiar la hora, modificar o cancelar:
booked-manage = Gestiona tu reunión

## El inicio de sesión y el paso del código
sign-in-heading = Iniciar sesión
sign-in-explain = Te enviaremos por correo un código de seis dígitos y un enlace. Con la sesión iniciada, verás aquí tus reuniones y conversaciones, podrás escribir en ellas y tus reservas se confirmarán al instante.
sign-in-email = Tu dirección de correo electrónico
sign-in-send = Envíame un código
sign-in-not-now = Ahora no
verify-heading = Revisa tu correo
verify-code = Código
verify-confirm = Confirmar
verify-resend = Enviar un código nuevo
verify-what = { $subject }: { $chosen }
verify-sent = Hemos enviado un código de seis dígitos a { $email }. Introdúcelo aquí o usa el enlace del correo.
verify-sent-again = Hemos enviado un código nuevo a { $email }; el anterior ya no funciona.
verify-held-until = La hora está apartada para ti hasta las { $time } (quedan { $left }).
verify-code-works-until = El código es válido hasta las { $time } (quedan { $left }).
time-in-zone = { $time } hora de { $zone }
verify-expired = El código ha caducado.
verify-six-digits = Introduce los seis dígitos del correo.

## El calendario en el que se elige una hora
picker-previous = Mes anterior
picker-next = Mes siguiente
picker-keys = Las flechas te mueven entre las opciones; Intro selecciona.
picker-times = Horas
picker-day-free = { $day }, horas libres: { $count }
picker-day-none = { $day }, ninguna hora libre
picker-none = No hay horas libres este mes.

## La tarjeta de una reunión (páginas de gestión y de conversación)
when-zone = { $when } ({ $zone })
card-move-here = Mover aquí
card-change = Modificar esta reunión
card-change-duration = Cambiar la duración
card-save-duration = Guardar la duración
card-reschedule = Cambiar la hora
card-cancel = Cancelar la reunión
card-keep-time = Mantener la hora actual
card-pick-new = Elegir una hora nueva
card-when = Cuándo
card-status = Estado
card-cancelled = Cancelada
card-scheduled = Programada
card-move-to = Mover al { $when }
card-duration-changed = Se cambió la duración. Todos recibieron una invitación actualizada.
card-moved = Se cambió la hora de la reunión. Todos recibieron una invitación actualizada.
card-cancel-ask = ¿Cancelar esta reunión? Se avisará a todos.
card-cancelled-notice = La reunión se canceló. Se avisó a todos.

## La página de conversación
conversation-title = Conversación
conversation-title-with = { $title } – Conversación
conversation-sign-in-to-open = Inicia sesión para abrir esta conversación
conversation-not-yours = Esta conversación no es tuya. Inicia sesión con la dirección con la que reservaste.
conversation-members = Participantes: { $count }
conversation-sign-in-to-write = Inicia sesión para escribir
conversation-meetings = Reuniones
conversation-messages = Mensajes
conversation-older = Mostrar mensajes anteriores
conversation-your-message = Tu mensaje
conversation-send = Enviar
conversation-mute = Sin correos sobre mensajes nuevos
conversation-read-only = Estás leyendo a través del enlace de la conversación. Inicia sesión para escribir.
conversation-write-first = Escribe primero un mensaje.
event-meeting-booked = Reunión reservada: «{ $subject }» el { $when }
event-meeting-rescheduled = Reunión movida del { $from } al { $to }
event-duration-changed = Duración de la reunión cambiada de { $from } a { $to } min
event-subject-changed = Asunto de la reunión cambiado de «{ $from }» a «{ $to }»
event-meeting-cancelled = Reunión del { $when } cancelada
event-renamed = Conversación renombrada como «{ $title }»
event-renamed-reset = Nombre de la conversación restablecido
event-assigned = Conversación asignada a { $agent } ({ $service })
event-reminder-sent = Recordatorio enviado: la reunión del { $when } empieza en { $minutes } min
event-email-bounced = El correo a { $name } fue rechazado: puede que no tenga la última invitación y ya no recibirá más correos
event-email-complaint = { $name } marcó un correo como spam: ya no recibirá más correos
event-agent-left = { $agent } ya no está disponible; la conversación espera a { $service }
event-service-removed = Se eliminó el servicio { $service }; la conversación espera a { $agent }
event-meeting-handed-over = La reunión ahora es con { $to } ({ $from } ya no está disponible)
event-meeting-rehosted = La reunión ahora es con { $to } ({ $from } no está libre a la nueva hora)
event-unsubscribed = { $name } dejó de recibir correos sobre esta conversación

## La página de gestión
manage-title = Tu reunión
manage-eyebrow = Tu reunión
manage-not-found-heading = Reunión no encontrada
manage-open-from-email = Abre esta página desde el enlace de tu correo o inicia sesión en la página de reserva.
manage-conversation = Abrir la conversación

## Las páginas de un clic (confirmar una reserva, iniciar sesión, dejar de recibir correos)
confirm-title = Confirma tu reserva
confirm-eyebrow = Un último paso
confirm-explain = Pulsa el botón para confirmar la reunión que reservaste. Hasta entonces, la hora solo está apartada para ti.
confirm-button = Confirmar mi reserva
link-sign-in-eyebrow = Un clic
link-sign-in-explain = Pulsa el botón para iniciar sesión con la dirección a la que se envió este correo. Con la sesión iniciada, verás tus reuniones y conversaciones, y tus reservas se confirmarán al instante.
link-sign-in-button = Iniciar sesión
link-sign-in-done = Has iniciado sesión
link-sign-in-go-on = Continuar
unsubscribe-title = Dejar de recibir correos
unsubscribe-eyebrow = Tus correos
unsubscribe-heading = Dejar de recibir correos sobre esta conversación
unsubscribe-explain = No recibirás más correos sobre esta conversación: ni mensajes, ni cambios, ni recordatorios. Todos sus participantes verán que los desactivaste.
unsubscribe-button = Dejar de recibir estos correos
unsubscribe-done-heading = Listo
unsubscribe-done = { $email } ya no recibirá correos sobre «{ $conversation }».
console-title = Consola
