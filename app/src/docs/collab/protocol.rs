//! The y-websocket wire protocol (y-protocols 1.0) as the room sees it: incoming frames parsed
//! and checked on the connection's own task, outgoing frames encoded once for every peer.

use axum::body::Bytes;
use yrs::encoding::read::Cursor;
use yrs::sync::{AwarenessUpdate, Message, MessageReader, SyncMessage};
use yrs::updates::decoder::{Decode, DecoderV1};
use yrs::updates::encoder::Encode;
use yrs::{StateVector, Update};

/// One decoded client message the room acts on.
#[derive(Debug)]
pub enum Incoming {
    /// Sync step 1: the client's state vector; answered with step 2.
    Step1(StateVector),
    /// Sync step 2 or an update: the raw v1 bytes (relayed and stored as they are) and decoded.
    Update { raw: Vec<u8>, update: Update },
    /// The client's awareness (presence) change.
    Awareness(AwarenessUpdate),
    /// Query-awareness: answered with every known state.
    QueryAwareness,
}

/// Why a frame was refused; the connection is closed with it.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    #[error("malformed message: {0}")]
    Malformed(String),
}

/// What [`parse`] found in one frame.
#[derive(Debug, Default)]
pub struct Parsed {
    pub messages: Vec<Incoming>,
    /// Updates dropped because the connection may only view (read-only users).
    pub dropped_updates: usize,
}

/// Parses a binary frame (one or more concatenated messages). Updates of read-only connections
/// are dropped here, as the protocol describes for read-only users; auth and unknown message
/// types are ignored like the reference server does.
pub fn parse(data: &[u8], can_edit: bool) -> Result<Parsed, ProtocolError> {
    let mut decoder = DecoderV1::new(Cursor::new(data));
    let mut parsed = Parsed::default();
    for message in MessageReader::new(&mut decoder) {
        let message = message.map_err(|e| ProtocolError::Malformed(e.to_string()))?;
        match message {
            Message::Sync(SyncMessage::SyncStep1(sv)) => parsed.messages.push(Incoming::Step1(sv)),
            Message::Sync(SyncMessage::SyncStep2(raw))
            | Message::Sync(SyncMessage::Update(raw)) => {
                if !can_edit {
                    parsed.dropped_updates += 1;
                    continue;
                }
                let update =
                    Update::decode_v1(&raw).map_err(|e| ProtocolError::Malformed(e.to_string()))?;
                if update.is_empty() && update.delete_set().is_empty() {
                    continue;
                }
                parsed.messages.push(Incoming::Update { raw, update });
            }
            Message::Awareness(update) => parsed.messages.push(Incoming::Awareness(update)),
            Message::AwarenessQuery => parsed.messages.push(Incoming::QueryAwareness),
            Message::Auth(_) | Message::Custom(..) => {}
        }
    }
    Ok(parsed)
}

/// A sync step 1 frame.
pub fn step1(sv: StateVector) -> Bytes {
    frame(Message::Sync(SyncMessage::SyncStep1(sv)))
}

/// A sync step 2 frame.
pub fn step2(update: Vec<u8>) -> Bytes {
    frame(Message::Sync(SyncMessage::SyncStep2(update)))
}

/// An update frame.
pub fn update(update: Vec<u8>) -> Bytes {
    frame(Message::Sync(SyncMessage::Update(update)))
}

/// An awareness frame.
pub fn awareness(update: AwarenessUpdate) -> Bytes {
    frame(Message::Awareness(update))
}

fn frame(message: Message) -> Bytes {
    Bytes::from(message.encode_v1())
}
