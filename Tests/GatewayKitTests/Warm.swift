import Testing
@Test func warm() {}
