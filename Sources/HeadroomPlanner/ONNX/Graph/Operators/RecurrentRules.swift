/// Shape rules of the recurrent layers `RNN`, `GRU` and `LSTM`.
enum RecurrentRules {
    static func rule(_ op: String) -> ShapeRule? {
        switch op {
        case "RNN", "GRU", "LSTM": recurrent
        default: nil
        }
    }

    /// Y `[seq, directions, batch, hidden]` and the last states Y_h (and LSTM's Y_c) `[directions, batch, hidden]`;
    /// with `layout` 1, batch first.
    static func recurrent(_ c: NodeContext) throws(ShapeFailure) -> [ONNXTensorState] {
        let x = try c.input(0), r = try c.input(2)
        guard x.rank == 3, r.rank == 3 else { throw ShapeFailure(.shapeMismatch, "input \(x.shape) and recurrence weight \(r.shape) must be 3-D") }
        let batchFirst = c.int("layout", default: 0) != 0
        let (sequence, batch) = batchFirst ? (x.shape[1], x.shape[0]) : (x.shape[0], x.shape[1])
        let hidden = c.int("hidden_size") ?? r.shape[2]
        let directions: Int64 = c.string("direction", default: "forward") == "bidirectional" ? 2 : 1
        let y = batchFirst ? [batch, sequence, directions, hidden] : [sequence, directions, batch, hidden]
        let last = batchFirst ? [batch, directions, hidden] : [directions, batch, hidden]
        let state = try ONNXTensorState(x.dataType, last)
        return [try ONNXTensorState(x.dataType, y), state, state]
    }
}
