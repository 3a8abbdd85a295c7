extension Double {
    /// The number with exactly `decimals` digits after the point (`12.40`), without Foundation.
    public func fixed(_ decimals: Int) -> String {
        HeadroomCore.fixed(self, decimals: decimals)
    }
}
