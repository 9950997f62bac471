"""E-mail through the installation's SMTP server (standard library smtplib), behind the Mailer port."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

TIMEOUT_S = 20


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    """One connection per message: notices are rare, and a fresh connection survives server restarts."""

    smtp_host: str
    smtp_port: int
    smtp_security: str  # starttls | ssl | none
    smtp_from: str
    smtp_user: str = ""
    smtp_password: str = ""

    def send(self, to: str, subject: str, body: str) -> None:
        s = self
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = s.smtp_from, to, subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=s.smtp_from.rsplit("@", 1)[-1].rstrip(">"))
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(body)
        context = ssl.create_default_context()
        if s.smtp_security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=TIMEOUT_S, context=context)
        else:
            client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT_S)
        with client:
            if s.smtp_security == "starttls":
                client.starttls(context=context)
            if s.smtp_user:
                client.login(s.smtp_user, s.smtp_password)
            client.send_message(message)
