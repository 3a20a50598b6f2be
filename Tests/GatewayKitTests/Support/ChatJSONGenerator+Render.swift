extension ChatJSONGenerator {
    /// Writes `node` as JSON text with random whitespace and escapes; sometimes damages one byte.
    mutating func render(_ node: Node, damage: Int = 5) -> [UInt8] {
        var out: [UInt8] = []
        write(node, into: &out)
        if chance(damage), !out.isEmpty {
            let at = below(out.count)
            switch below(3) {
            case 0: out.remove(at: at)
            case 1: out.insert(pick(Array(",]}\":\\0 x".utf8)), at: at)
            default: out.insert(contentsOf: Array(pick([",", ",]", "\\u", "\u{1}"]).utf8), at: at)
            }
        }
        return out
    }

    private mutating func space(_ out: inout [UInt8]) {
        if chance(20) { out.append(contentsOf: Array(pick([" ", "\n", "\t", "\r\n  "]).utf8)) }
    }

    private mutating func write(_ node: Node, into out: inout [UInt8]) {
        space(&out)
        switch node {
        case .raw(let text): out.append(contentsOf: Array(text.utf8))
        case .string(let text): writeString(text, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                write(item, into: &out)
            }
            space(&out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (offset, (key, value)) in members.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                space(&out)
                writeString(key, into: &out)
                space(&out)
                out.append(UInt8(ascii: ":"))
                write(value, into: &out)
            }
            space(&out)
            out.append(UInt8(ascii: "}"))
        }
        space(&out)
    }

    private mutating func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: Array(#"\""#.utf8))
            case "\\": out.append(contentsOf: Array(#"\\"#.utf8))
            case "\n": out.append(contentsOf: Array(pick([#"\n"#, #"\u000a"#]).utf8))
            case "\t": out.append(contentsOf: Array(pick([#"\t"#, #"\u0009"#]).utf8))
            case "/": out.append(contentsOf: Array(pick(["/", #"\/"#]).utf8))
            case _ where scalar.value < 0x20 || chance(15): escape(scalar, into: &out)
            default: out.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ scalar: Unicode.Scalar, into out: inout [UInt8]) {
        func hex(_ unit: UInt32, _ out: inout [UInt8], upper: Bool) {
            let digits = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
            out.append(contentsOf: Array("\\u".utf8))
            for shift in stride(from: 12, through: 0, by: -4) { out.append(digits[Int((unit >> UInt32(shift)) & 0xF)]) }
        }
        let upper = chance(50)
        if scalar.value >= 0x10000 {
            let value = scalar.value - 0x10000
            hex(0xD800 + (value >> 10), &out, upper: upper)
            hex(0xDC00 + (value & 0x3FF), &out, upper: upper)
        } else {
            hex(scalar.value, &out, upper: upper)
        }
    }
}
