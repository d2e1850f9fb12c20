//! Role mailbox names: lowercase, without separators, one per line, byte-sorted (`lines`).
//!
//! Data only, so that `build.rs` can write it into the email data file the drop-in's build
//! loads (see `lists.rs`).

/// The role names, each line ending in `\n`.
pub(crate) const ROLES: &str = "\
    abuse\naccount\naccounting\naccounts\nadmin\nadministrator\nbilling\nbounce\nbounces\ncareers\n\
    contact\ncontacto\ncontato\ncontatos\ncustomercare\ncustomerservice\ndaemon\ndev\ndevnull\n\
    dmarc\nenquiries\nenquiry\nfeedback\nfinance\nhello\nhelp\nhelpdesk\nhostmaster\nhr\ninfo\n\
    information\ninquiries\nit\njobs\nkontak\nkontakt\nlegal\nmail\nmailerdaemon\nmarketing\n\
    media\nnews\nnewsletter\nnoc\nnoreply\nnotifications\noffice\nops\norders\npostmaster\npress\n\
    privacy\nrecruiting\nroot\nsales\nsecurity\nservice\nspam\nstaff\nsupport\nsysadmin\nteam\n\
    tech\ntest\nusenet\nuucp\nwebmaster\nwww\n";
