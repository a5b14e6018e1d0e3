import Foundation

/// On-site verification by the street's grid worker before acceptance (PS §8(一)3: 需要进行核实的，由事件
/// 发生地所属街道的网格员 2 小时内对事件进行核实，核实属实后再予受理), offered where the profile has it
/// and done where the operator asks for it (`verify_on_site`).
public struct GridVerificationRules: Codable, Sendable, Hashable {
    /// How long the grid worker has, from the request (PS §8(一)3: 2 hours).
    public var within: TimeLimit
    /// The basis of the non-acceptance (`no_substance`) of a demand the grid worker found untrue.
    public var basis: String

    public init(within: TimeLimit, basis: String) {
        self.within = within
        self.basis = basis
    }
}
